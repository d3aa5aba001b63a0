/**
 * From the parsed documents and the registry's `references` table: which names the deployment
 * points at, which of those it contains itself, and which must therefore already be in the org.
 */
import type { MetadataDocument } from '../metadata/document.ts';
import { nodesAt, textOf, childBoolean } from '../validate/nodes.ts';
import type { RefUse } from './org-refs.ts';

export interface CollectedReferences {
  unresolved: RefUse[];
  presenceConfigs: string[];
  enablesOmni: boolean;
  components: Array<{ type: string; fullName: string; file: string }>;
}

/** Documents carry project-relative paths already. */
function fileOf(doc: MetadataDocument): string {
  return doc.path ?? `${doc.type.name}:${doc.fullName}`;
}

export function collectReferences(documents: readonly MetadataDocument[]): CollectedReferences {
  const present = new Set<string>();
  const components: CollectedReferences['components'] = [];
  for (const doc of documents) {
    present.add(`${doc.type.name}:${doc.fullName.toLowerCase()}`);
    components.push({ type: doc.type.name, fullName: doc.fullName, file: fileOf(doc) });
  }
  const unresolved: RefUse[] = [];
  let enablesOmni = false;
  const presenceConfigs: string[] = [];
  for (const doc of documents) {
    const type = doc.type;
    if (type.agentAssignments) presenceConfigs.push(doc.fullName);
    if (type.omniSwitch && childBoolean(doc.root, type.omniSwitch) === true) enablesOmni = true;
    const file = fileOf(doc);
    for (const ref of type.references) {
      for (const node of nodesAt(doc.root, ref.path)) {
        const name = textOf(node);
        if (!name) continue;
        if (present.has(`${ref.target}:${name.toLowerCase()}`)) continue;
        unresolved.push({ kind: ref.target, name, file, line: node.line, column: node.column, element: ref.path });
      }
    }
  }
  return { unresolved, presenceConfigs, enablesOmni, components };
}
