/** Profile names: the metadata fullName of a standard profile is not its Profile.Name. */

/**
 * Standard profiles are written in metadata under their API fullName (`Admin`, often retrieved
 * lower-cased), which differs from Profile.Name. Custom profile fullNames are URL-encoded (`%3A`).
 */
const STANDARD_PROFILE_NAMES: Record<string, string> = {
  admin: 'System Administrator',
  standard: 'Standard User',
  readonly: 'Read Only',
  solutionmanager: 'Solution Manager',
  marketingprofile: 'Marketing User',
  contractmanager: 'Contract Manager',
  standardaul: 'Standard Platform User',
  'minimum access - salesforce': 'Minimum Access - Salesforce',
};

/** Every Profile.Name a metadata profile reference may mean, lower-cased. */
export function profileNameCandidates(metadataName: string): string[] {
  const lower = metadataName.toLowerCase();
  const out = new Set<string>([lower]);
  try {
    out.add(decodeURIComponent(metadataName).toLowerCase());
  } catch {
    // not URL-encoded: the name itself is the only candidate
  }
  const standard = STANDARD_PROFILE_NAMES[lower];
  if (standard) out.add(standard.toLowerCase());
  return [...out];
}
