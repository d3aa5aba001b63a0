/**
 * package.xml (the manifest of a deploy zip or a retrieve request): `<types><members/><name/></types>`
 * plus `<version>`.
 */
import { XMLParser } from 'fast-xml-parser';
import { escapeXml, METADATA_NS } from './soap.ts';

export interface PackageManifest {
  types: Array<{ name: string; members: string[] }>;
  version?: string;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'types' || name === 'members',
});

/** Throws with the parser's message when the manifest isn't well-formed XML. */
export function parsePackageXml(text: string): PackageManifest {
  const doc = parser.parse(text, true) as { Package?: { types?: Array<{ name?: string; members?: string[] }>; version?: string } };
  const pkg = doc.Package ?? {};
  return {
    types: (pkg.types ?? []).map((t) => ({ name: String(t.name ?? '').trim(), members: (t.members ?? []).map((m) => String(m).trim()) })),
    version: pkg.version ? String(pkg.version).trim() : undefined,
  };
}

/** The manifest as retrieves write it: types sorted by name, four-space indentation. */
export function renderPackageXml(manifest: PackageManifest): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<Package xmlns="${METADATA_NS}">`];
  for (const type of [...manifest.types].sort((a, b) => a.name.localeCompare(b.name))) {
    lines.push('    <types>');
    for (const member of type.members) lines.push(`        <members>${escapeXml(member)}</members>`);
    lines.push(`        <name>${escapeXml(type.name)}</name>`);
    lines.push('    </types>');
  }
  if (manifest.version) lines.push(`    <version>${escapeXml(manifest.version)}</version>`);
  lines.push('</Package>');
  return `${lines.join('\n')}\n`;
}
