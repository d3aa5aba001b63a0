/**
 * fast-check models generated from the registry, shared by the metadata property tests: every type,
 * every element kind, repeated and nested elements, strings with XML-special, astral and CR characters.
 */
import fc from 'fast-check';
import type { ElementDef } from '../../scripts/metadata/registry.ts';

// Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, U+FFFE/FFFF).
// Lone surrogates never appear: the grapheme unit yields whole code points.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const piece = fc.oneof(
  fc.constantFrom('&', '<', '>', '"', "'", ' ', '\n', '\t', '\r', '\r\n', ']]>', '&amp;', '&#13;', '{!User_Alias}', '{!User_FullName}', 'é', 'ß', 'ü', '中', '𝄞', '😀', '\u00A0', '\u2028'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);

/** Strings as they survive XML; never whitespace-only (that reads back as '', see parse.test.ts). */
function text(allowEmpty: boolean): fc.Arbitrary<string> {
  return fc
    .string({ unit: piece, minLength: allowEmpty ? 0 : 1, maxLength: 12 })
    .filter((s) => !NOT_XML_CHAR.test(s) && (s === '' ? allowEmpty : s.trim() !== ''));
}

export interface ModelOptions {
  /** Every required element present at every depth (what the XSD's minOccurs demands). */
  complete: boolean;
}

function arbitraryFor(def: ElementDef, options: ModelOptions): fc.Arbitrary<unknown> {
  switch (def.kind) {
    case 'string':
      return text(!options.complete);
    case 'int':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'double':
      return fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...def.enumValues!);
    case 'complex':
      return modelOf(def.children ?? [], options);
  }
}

/** Opaque parts of partial types (PermissionSet, Profile) are raw XmlNodes: the example tests cover them. */
export function modelOf(defs: readonly ElementDef[], options: ModelOptions): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const def of defs) {
    if (def.opaque) continue;
    shape[def.name] = def.repeated ? fc.array(arbitraryFor(def, options), { minLength: 1, maxLength: 3 }) : arbitraryFor(def, options);
  }
  const requiredKeys = options.complete ? defs.filter((d) => d.required && !d.opaque).map((d) => d.name) : [];
  return fc.record(shape, { requiredKeys });
}

