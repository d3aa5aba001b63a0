/**
 * XML-UNKNOWN-ELEMENT names the API version the file is validated at (the project's sourceApiVersion, or
 * `--api-version`), not the XSD's: a project on 66.0 is told about 66.0. A version newer than the XSD's
 * (67.0, the reference omni-metadata.xsd) is named as the XSD's, the newest one whose elements are known.
 */
import { describe, expect, it } from 'vitest';
import { validateProject } from '../../scripts/validate/index.ts';
import { omniOffline } from '../helpers/omni.ts';
import { byRule, filesProject, puc, xml } from './helpers.ts';

const files = { [puc('Agents')]: xml('PresenceUserConfig', ['<capacity>20</capacity>', '<capacityz>3</capacityz>', '<label>Agents</label>']) };
const unknownMessage = async (options: { project?: string; apiVersion?: string }) => {
  const root = filesProject(files, options.project ? { apiVersion: options.project } : {});
  const { diagnostics } = await validateProject({ projectRoot: root, specFile: null, ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}) });
  const found = byRule(diagnostics, 'XML-UNKNOWN-ELEMENT');
  expect(found).toHaveLength(1);
  expect(found[0]).toMatchObject({ line: 4, column: 5 });
  return found[0].message;
};

describe('XML-UNKNOWN-ELEMENT names the API version validated at', () => {
  it('the project sourceApiVersion (66.0, 60.0)', async () => {
    expect(await unknownMessage({ project: '66.0' })).toBe('<capacityz> is not an element of PresenceUserConfig in API 66.0; it is kept as is.');
    expect(await unknownMessage({ project: '60.0' })).toBe('<capacityz> is not an element of PresenceUserConfig in API 60.0; it is kept as is.');
  });

  it('--api-version over the project', async () => {
    expect(await unknownMessage({ project: '66.0', apiVersion: '62.0' })).toContain('in API 62.0;');
    expect(await unknownMessage({ project: '60.0', apiVersion: '66.0' })).toContain('in API 66.0;');
  });

  it('a version newer than the XSD: the XSD version, the newest whose elements are known', async () => {
    expect(await unknownMessage({ project: '66.0', apiVersion: '68.0' })).toContain('in API 67.0;');
  });

  it('the CLI, as the user ran it: omni validate FILE with and without --api-version 66.0', async () => {
    const root = filesProject(files);
    for (const args of [['validate', puc('Agents')], ['validate', puc('Agents'), '--api-version', '66.0']]) {
      const r = await omniOffline(root, args);
      expect(r.stdout + r.stderr).toContain('<capacityz> is not an element of PresenceUserConfig in API 66.0');
      expect(r.stdout + r.stderr).not.toContain('67.0');
    }
  });
});
