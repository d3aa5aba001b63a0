/**
 * Every int element (xsd:int: a signed 32-bit whole number, XML Schema Part 2 §3.3.17) that a spec key writes
 * is bounded in the spec's schema as the XML check bounds it: a value the spec accepts never makes generated
 * XML that `omni validate` rejects (XML-VALUE-TYPE), and the spec does not refuse what the XSD allows.
 */
import { describe, expect, it } from 'vitest';
import { checkValue } from '../../scripts/metadata/document.ts';
import { getType, type ElementDef } from '../../scripts/metadata/registry.ts';
import { loadSpecText } from '../../scripts/yaml-spec/load.ts';
import { TYPE_MAPPINGS, rowFromModel, type Model } from '../../scripts/yaml-spec/mapping.ts';

// xsd:int's bounds, from XML Schema Part 2 (not from the code under test).
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** A value of each element that the spec's schemas accept when nothing else is wrong (ints at their range's minimum). */
function filler(def: ElementDef): unknown {
  const one = (): unknown => {
    switch (def.kind) {
      case 'boolean':
        return true;
      case 'int':
        return def.range?.min ?? 1;
      case 'double':
        return 1;
      case 'enum':
        return def.enumValues?.[0];
      case 'complex':
        return Object.fromEntries((def.children ?? []).map((c) => [c.name, filler(c)]));
      default:
        // maxExtensions is an xsd:string holding a number; names must be developer names.
        return def.range ? String(def.range.min) : 'Name1';
    }
  };
  return def.repeated ? [one()] : one();
}

interface IntElement {
  path: string[];
  def: ElementDef;
}

function intElements(elements: readonly ElementDef[], at: string[] = []): IntElement[] {
  return elements.flatMap((def) => {
    const path = [...at, def.name];
    if (def.kind === 'int') return [{ path, def }];
    return def.children && !def.opaque ? intElements(def.children, path) : [];
  });
}

/** `model` with the element at `path` (through one-item lists) set to `value`. */
function withValue(model: Model, path: string[], value: unknown): Model {
  const copy = structuredClone(model);
  let node: Record<string, unknown> = copy;
  for (const name of path.slice(0, -1)) {
    const next = node[name];
    node = (Array.isArray(next) ? next[0] : next) as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
  return copy;
}

const cases = TYPE_MAPPINGS.flatMap((mapping) => {
  const type = getType(mapping.type);
  const model = Object.fromEntries(type.elements.filter((e) => !e.opaque).map((e) => [e.name, filler(e)])) as Model;
  return intElements(type.elements).map(({ path, def }) => ({
    name: `${mapping.type}.${path.join('.')}`,
    rows: mapping.fields.filter((row) => row.elements.includes(path[0])),
    model,
    path,
    def,
  }));
});

describe('int elements in the spec schema', () => {
  it('finds the int elements of every modelled type, each written by a spec key', () => {
    const names = cases.map((c) => c.name);
    // The XSD's ints (reference omni-metadata.xsd): a fixed list, so a lost case fails here.
    for (const expected of [
      'PresenceUserConfig.capacity',
      'PresenceUserConfig.interruptibleCapacity',
      'PresenceUserConfig.afterConvoWorkMaxTime',
      'PresenceUserConfig.acwExtensionDuration',
      'ServiceChannel.afterConvoWorkMaxTime',
      'ServiceChannel.acwExtensionDuration',
      'ServiceChannel.serviceChannelFieldPriorities.priority',
      'QueueRoutingConfig.routingPriority',
      'QueueRoutingConfig.pushTimeout',
      'QueueRoutingConfig.dropAdditionalSkillsTimeout',
    ]) {
      expect(names).toContain(expected);
    }
    for (const c of cases) expect(c.rows.length, c.name).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.name}: the spec accepts what xsd:int (and the registry range) allows, and nothing beyond`, () => {
      for (const row of c.rows) {
        const value = (n: number) => rowFromModel(row, withValue(c.model, c.path, n));
        // In range: accepted (so the rejections below are about the number).
        expect(row.schema().safeParse(value(c.def.range?.min ?? 1)).success, `${row.key} in range`).toBe(true);
        for (const n of [INT_MAX + 1, 3000000000, INT_MIN - 1, 2 ** 53]) {
          expect(row.schema().safeParse(value(n)).success, `${row.key}: ${n}`).toBe(false);
        }
        const top = c.def.range?.max ?? INT_MAX;
        expect(row.schema().safeParse(value(top)).success, `${row.key}: ${top}`).toBe(true);
        // Whatever the spec accepts, the XML check accepts too.
        for (const n of [top, top + 1, INT_MAX, INT_MAX + 1]) {
          if (row.schema().safeParse(value(n)).success) expect(checkValue(c.def, String(n)), `${row.key}: ${n}`).toBeUndefined();
        }
      }
    });
  }

  it('reports capacity: 3000000000 at its line and column, with the range', () => {
    const text = 'presenceConfigurations:\n  Agents:\n    label: Agents\n    capacity: 3000000000\n';
    const errors = loadSpecText(text, { file: 'config/omni-channel.yaml', projectApiVersion: '66.0' }).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ ruleId: 'SPEC-SCHEMA', line: 4, column: 15 });
    expect(errors[0].message).toContain(String(INT_MAX));
  });
});
