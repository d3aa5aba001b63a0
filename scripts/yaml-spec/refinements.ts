/**
 * The spec schema's refinements (zod `.refine` predicates), by name. mapping.ts refines with them, and the
 * generated spec check (spec-check.generated.ts, written by scripts/tooling/schema-check.ts) calls them by the
 * same name: a predicate is code, so the generator names it here rather than copying it. A refinement not
 * listed here stops the generator.
 */
export const SPEC_REFINEMENTS = {
  /** At least one key of the mapping has a value (`members: {}` or `transferDestinations: {}` says nothing). */
  someValue: (value: object): boolean => Object.values(value).some((v) => v !== undefined),
} as const;
