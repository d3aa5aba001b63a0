/**
 * omni's tables are sf's: the text scripts/cli/sf-table.ts renders equals sf-plugins-core's own Ux.makeTable
 * for the same rows, with sf's defaults and with the environment variables sf reads (border style, no style,
 * overflow). sf-plugins-core reads process.env; omni the run's env — both are given the same values here.
 */
import { Ux } from '@salesforce/sf-plugins-core';
import { afterEach, describe, expect, test } from 'vitest';
import { loadSfTable } from '../../scripts/cli/sf-table.ts';

const rows = [
  { state: 'Created', type: 'PresenceUserConfig', name: 'miaw', file: 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml' },
  { state: 'Changed', type: 'ServiceChannel', name: 'sfdc_phone', file: '' },
];
const columns = ['state', 'type', 'name', 'file'];
const VARS = ['SF_TABLE_BORDER_STYLE', 'SF_NO_TABLE_STYLE', 'SF_TABLE_OVERFLOW'];
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
afterEach(() => {
  for (const v of VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});

describe("sf's table", () => {
  for (const env of [{}, { SF_TABLE_BORDER_STYLE: 'headers-only-with-underline' }, { SF_TABLE_BORDER_STYLE: 'none', SF_NO_TABLE_STYLE: 'true' }, { SF_TABLE_BORDER_STYLE: 'no-such-style', SF_TABLE_OVERFLOW: 'truncate' }]) {
    test(`as sf-plugins-core renders it: ${JSON.stringify(env)}`, async () => {
      for (const v of VARS) delete process.env[v];
      Object.assign(process.env, env);
      const sf = new Ux({ jsonEnabled: false }).makeTable({ data: rows, columns: columns as never });
      const omni = (await loadSfTable({ ...env }))(rows, columns);
      expect(omni).toBe(sf);
      expect(omni).toContain('PresenceUserConfig');
    });
  }

  test('capitalised headers inside sf\'s default borders', async () => {
    const text = (await loadSfTable({}))(rows, columns);
    expect(text).toMatch(/^│ State +│ Type +│ Name +│ File +│$/m);
    expect(text.split('\n')[0]).toMatch(/^┌─+┬/);
  });
});
