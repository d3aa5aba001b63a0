/**
 * The API versions the product knows, as whole numbers: from the first version of the Omni-Channel metadata types
 * (44: Winter '19, reference spec §0.2) to the newest whose structure the registry holds (XSD_API_VERSION of
 * registry.generated.ts). An --api-version outside them is a usage error, and every --api-version flag's help names
 * them (scripts/sf/adapter.ts). Kept apart from the registry so that a command's flags need not load it (≈ 80 ms);
 * test/metadata/api-versions.test.ts fails when the registry says otherwise (after `npm run registry`).
 */
export const SUPPORTED_API_VERSIONS: { readonly min: number; readonly max: number } = { min: 44, max: 67 };

/** The range as help and messages write it: `44.0–67.0`. */
export function supportedApiVersionsText(): string {
  return `${SUPPORTED_API_VERSIONS.min}.0–${SUPPORTED_API_VERSIONS.max}.0`;
}
