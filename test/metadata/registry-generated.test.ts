/**
 * The registry's structure is generated (`npm run registry`: scripts/tooling/registry.ts) from the XSD and
 * SDR's registry into scripts/metadata/registry.generated.ts. These tests fail when the committed file is
 * not what the generator writes today, and check SDR's layout facts against SDR itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import { describe, expect, test } from 'vitest';
import { METADATA_TYPES, getType, mergeType } from '../../scripts/metadata/registry.ts';
import { TYPE_FACTS } from '../../scripts/metadata/registry-overlay.ts';
import { XSD_TYPES } from '../../scripts/metadata/registry.generated.ts';
import { GENERATED_PATH, renderRegistry } from '../../scripts/tooling/registry.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { xsdPath } from './helpers.ts';

const xsdText = readFileSync(xsdPath, 'utf8');

describe('registry.generated.ts', () => {
  test('equals what the generator writes from the XSD and SDR (else: run npm run registry)', async () => {
    const committed = readFileSync(path.join(REPO_ROOT, GENERATED_PATH), 'utf8');
    expect(committed === (await renderRegistry(xsdText)), `${GENERATED_PATH} is out of date: run npm run registry`).toBe(true);
  });

  test('the drift check notices a changed XSD: an element added, an occurrence or an enum value changed', async () => {
    const committed = readFileSync(path.join(REPO_ROOT, GENERATED_PATH), 'utf8');
    const variants = [
      xsdText.replace('<xsd:element name="capacity" type="xsd:int"/>', '<xsd:element name="capacity" minOccurs="0" type="xsd:int"/>'),
      xsdText.replace('<xsd:enumeration value="TAB_BASED"/>', '<xsd:enumeration value="TAB_BASED"/><xsd:enumeration value="NEW_MODEL"/>'),
      xsdText.replace(
        '<xsd:element name="relatedEntityType" type="xsd:string"/>',
        '<xsd:element name="relatedEntityType" type="xsd:string"/><xsd:element name="newSetting" minOccurs="0" type="xsd:boolean"/>',
      ),
    ];
    for (const variant of variants) {
      expect(variant).not.toBe(xsdText);
      expect(await renderRegistry(variant)).not.toBe(committed);
    }
  });

  test('an XSD construct the generator does not understand is an error, not a silent gap', async () => {
    await expect(renderRegistry(xsdText.replace('type="xsd:int"', 'type="xsd:long"'))).rejects.toThrow(/unknown XSD type xsd:long/);
    await expect(renderRegistry('<root/>')).rejects.toThrow(/no <xsd:schema>/);
  });

  test("every type's directory, suffix and package type are SDR's", () => {
    const sdr = new RegistryAccess();
    for (const type of METADATA_TYPES) {
      // OmniChannelSettings is one file of SDR's Settings type.
      const sdrType = sdr.getTypeByName(type.fixedFullName ? type.packageTypeName : type.name);
      expect({ dir: type.directoryName, suffix: type.suffix, pkg: type.packageTypeName }, type.name).toEqual({
        dir: sdrType.directoryName,
        suffix: sdrType.suffix,
        pkg: sdrType.name,
      });
    }
    expect(getType('OmniChannelSettings')).toMatchObject({ packageTypeName: 'Settings', directoryName: 'settings', suffix: 'settings' });
  });

  test('partial types: only the status accesses of PermissionSet/Profile are modelled; the rest is opaque', () => {
    for (const name of ['PermissionSet', 'Profile']) {
      const type = getType(name);
      expect(type.partial).toBe(true);
      const complex = type.elements.filter((e) => e.kind === 'complex');
      expect(complex.filter((e) => !e.opaque).map((e) => e.name)).toEqual(['servicePresenceStatusAccesses']);
      for (const e of complex) expect(e.opaque ? e.children : e.children?.length, `${name}.${e.name}`).toBe(e.opaque ? undefined : 2);
    }
    for (const type of METADATA_TYPES.filter((t) => !t.partial)) {
      expect(JSON.stringify(type.elements), type.name).not.toContain('"opaque"');
    }
  });

  test('an overlay fact naming an element the XSD lacks stops the registry from loading', () => {
    const puc = TYPE_FACTS.PresenceUserConfig;
    expect(mergeType('PresenceUserConfig', XSD_TYPES.PresenceUserConfig, puc).elements.length).toBe(XSD_TYPES.PresenceUserConfig.elements.length);
    const stale = [
      { ...puc, elements: { ...puc.elements, capacityPerChannel: { since: 68 } } },
      { ...puc, references: [...puc.references, { path: 'assignments.groups.group', target: 'Group' as const }] },
      { ...puc, userMembers: { ...puc.userMembers!, path: 'assignments.agents.agent' } },
      { ...puc, needsSetting: [{ path: 'statusField', setting: 'enableOmniStatusCapModel' }] },
    ];
    for (const facts of stale) expect(() => mergeType('PresenceUserConfig', XSD_TYPES.PresenceUserConfig, facts)).toThrow(/registry-overlay\.ts: PresenceUserConfig has facts for/);
    const partial = { ...TYPE_FACTS.PermissionSet, partial: { modelled: ['serviceAccesses'] } };
    expect(() => mergeType('PermissionSet', XSD_TYPES.PermissionSet, partial)).toThrow(/serviceAccesses/);
  });
});
