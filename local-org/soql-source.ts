/**
 * The store as the SOQL engine sees it: only objects visible to the API caller (Omni objects vanish
 * while Omni-Channel is off), live rows, or live and deleted ones for queryAll.
 */
import type { OrgStore, Row } from './store.ts';
import { sobjectOfId, type SObjectSchema } from './schema.ts';
import { visibleSObject } from './rest.ts';

/** The SOQL data source over `store`; `includeDeleted` for queryAll. */
export function soqlSource(store: OrgStore, omniEnabled: boolean, includeDeleted: boolean) {
  const visible = (name: string): SObjectSchema | undefined => visibleSObject(name, omniEnabled);
  return {
    describe: visible,
    rows: (name: string): Iterable<Row> => {
      const schema = visible(name);
      if (!schema) return [];
      if (!includeDeleted) return store.all(schema.name);
      return (function* () {
        yield* store.all(schema.name);
        yield* store.allDeleted(schema.name);
      })();
    },
    get: (id: string) => store.get(id) ?? (includeDeleted ? store.getDeleted(id) : undefined),
    objectOfId: (id: string) => {
      const schema = sobjectOfId(id);
      return schema && visible(schema.name) ? schema.name : undefined;
    },
    // Indexes hold live rows only, so queryAll scans instead.
    lookup: (sobject: string, field: string, value: unknown) => (visible(sobject) && !includeDeleted ? store.lookup(sobject, field, value) : undefined),
  };
}
