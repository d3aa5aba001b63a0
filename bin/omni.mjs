#!/usr/bin/env node
// The `omni` bin that npm links into node_modules/.bin: the launcher is scripts/omni.mjs. It lives in its
// own package (a file: devDependency of the project) rather than in the root package.json's "bin", because
// npx runs a bin it finds in node_modules/.bin at once, but treats a bin the root package declares as
// "install this project into the npx cache" and reads the whole dependency tree first (~1 s; bench/RESULTS.md).
import '../scripts/omni.mjs';
