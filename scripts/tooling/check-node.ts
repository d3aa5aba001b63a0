/**
 * `npm test` starts here: the project runs on the Node 22 pinned in devDependencies (`node@22` puts it
 * first on the PATH of npm scripts). Fail early and clearly if something else is running.
 */
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `omni-presence needs Node >= 22.18 (found ${process.version}). Run "npm ci" so the pinned node@22 devDependency is installed, then use npm scripts (npm test, npm run omni).`,
  );
  process.exit(1);
}
console.log(`node ${process.version}`);
