/**
 * `describeMetadata`, `listMetadata`, `readMetadata`: the org's metadata catalogue, component
 * listings as FileProperties, and components rendered as `xsi:type`d Metadata records.
 */
import type { LocalOrgContext } from '../context.ts';
import type { XmlNode } from './xml.ts';
import { BINDINGS, bindingFor, bindingForPackageType } from './components.ts';
import { argList, argText, argTexts, escapeXml, SoapFault, type SoapTree, type XmlValue } from './soap.ts';
import { isoDate } from './jobs.ts';

interface DescribeEntry {
  childXmlNames?: string[];
  directoryName: string;
  inFolder: boolean;
  metaFile: boolean;
  suffix?: string;
  xmlName: string;
}

/**
 * Common types SDR and the CLI may ask about, as the real describeMetadata lists them. The local org
 * stores none of them; they are described so that clients which consult the catalogue behave.
 */
const COMMON_TYPES: DescribeEntry[] = [
  { directoryName: 'applications', inFolder: false, metaFile: false, suffix: 'app', xmlName: 'CustomApplication' },
  { directoryName: 'aura', inFolder: false, metaFile: false, xmlName: 'AuraDefinitionBundle' },
  { directoryName: 'classes', inFolder: false, metaFile: true, suffix: 'cls', xmlName: 'ApexClass' },
  { directoryName: 'flows', inFolder: false, metaFile: false, suffix: 'flow', xmlName: 'Flow' },
  { directoryName: 'labels', inFolder: false, metaFile: false, suffix: 'labels', xmlName: 'CustomLabels', childXmlNames: ['CustomLabel'] },
  { directoryName: 'layouts', inFolder: false, metaFile: false, suffix: 'layout', xmlName: 'Layout' },
  { directoryName: 'lwc', inFolder: false, metaFile: false, xmlName: 'LightningComponentBundle' },
  {
    directoryName: 'objects',
    inFolder: false,
    metaFile: false,
    suffix: 'object',
    xmlName: 'CustomObject',
    childXmlNames: ['CustomField', 'Index', 'BusinessProcess', 'CompactLayout', 'RecordType', 'WebLink', 'ValidationRule', 'SharingReason', 'ListView', 'FieldSet'],
  },
  { directoryName: 'omniSupervisorConfigs', inFolder: false, metaFile: false, suffix: 'omniSupervisorConfig', xmlName: 'OmniSupervisorConfig' },
  { directoryName: 'skills', inFolder: false, metaFile: false, suffix: 'skill', xmlName: 'Skill' },
  { directoryName: 'staticresources', inFolder: false, metaFile: true, suffix: 'resource', xmlName: 'StaticResource' },
  { directoryName: 'tabs', inFolder: false, metaFile: false, suffix: 'tab', xmlName: 'CustomTab' },
  { directoryName: 'triggers', inFolder: false, metaFile: true, suffix: 'trigger', xmlName: 'ApexTrigger' },
];

export function describeMetadata(org: LocalOrgContext): XmlValue {
  const own: DescribeEntry[] = BINDINGS.filter((b) => !b.type.requiresOmni || org.omniEnabled).map((b) => ({
    directoryName: b.type.directoryName,
    inFolder: false,
    metaFile: false,
    suffix: b.type.suffix,
    xmlName: b.type.packageTypeName,
  }));
  const objects = [...own, ...COMMON_TYPES].sort((a, b) => a.xmlName.localeCompare(b.xmlName));
  return {
    metadataObjects: objects.map((o) => ({
      childXmlNames: o.childXmlNames,
      directoryName: o.directoryName,
      inFolder: o.inFolder,
      metaFile: o.metaFile,
      suffix: o.suffix,
      xmlName: o.xmlName,
    })) as XmlValue[],
    organizationNamespace: '',
    partialSaveAllowed: true,
    testRequired: false,
  };
}

export function listMetadata(org: LocalOrgContext, args: SoapTree): XmlValue {
  const queries = argList(args, 'queries').filter((q): q is SoapTree => typeof q === 'object' && !Array.isArray(q));
  if (queries.length > 3) throw new SoapFault('INVALID_OPERATION', 'Too many queries specified (limit: 3)');
  const admin = org.store.get(org.userId);
  const adminName = String(admin?.Name ?? org.username);
  const out: XmlValue[] = [];
  for (const query of queries) {
    const typeName = argText(query, 'type') ?? '';
    const binding = bindingForPackageType(typeName) ?? bindingFor(typeName);
    if (!binding) continue;
    for (const ref of binding.list(org)) {
      out.push({
        createdById: ref.createdById || org.userId,
        createdByName: adminName,
        createdDate: isoDate(ref.createdDate),
        fileName: `${binding.type.directoryName}/${ref.fullName}.${binding.type.suffix}`,
        fullName: ref.fullName,
        id: ref.id ?? '',
        lastModifiedById: ref.lastModifiedById || org.userId,
        lastModifiedByName: adminName,
        lastModifiedDate: isoDate(ref.lastModifiedDate),
        manageableState: 'unmanaged',
        type: binding.type.packageTypeName,
      });
    }
  }
  return out;
}

/** readMetadata's result holds one `records` element per component found, `xsi:type` the type name. */
export function readMetadata(org: LocalOrgContext, apiVersion: string, args: SoapTree): string {
  const typeName = argText(args, 'type') ?? '';
  const binding = bindingFor(typeName) ?? bindingForPackageType(typeName);
  if (!binding) throw new SoapFault('INVALID_TYPE', `Unknown type: ${typeName}`);
  const fullNames = argTexts(args, 'fullNames');
  if (fullNames.length > 10) throw new SoapFault('INVALID_OPERATION', 'Too many fullNames specified (limit: 10)');
  let records = '';
  for (const fullName of fullNames) {
    const ref = binding.find(org, fullName);
    const root = ref ? binding.render(org, fullName, Number(apiVersion)) : undefined;
    if (!root) continue;
    const body = root.children.map(nodeXml).join('');
    records += `<records xsi:type="${binding.type.name}"><fullName>${escapeXml(ref!.fullName)}</fullName>${body}</records>`;
  }
  return records;
}

function nodeXml(node: XmlNode): string {
  if (node.nil) return `<${node.name} xsi:nil="true"/>`;
  if (node.children.length) return `<${node.name}>${node.children.map(nodeXml).join('')}</${node.name}>`;
  return `<${node.name}>${escapeXml(node.text ?? '')}</${node.name}>`;
}
