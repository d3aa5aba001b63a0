<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>true</custom>
    <description>Omni-Channel agents. Created in scratch orgs by npm run org:create because force-app assigns Case_Agents to this profile; sandboxes and production have their own.</description>
    <userLicense>Salesforce</userLicense>
</Profile>
