/**
 * "Did you mean …" names only a component that exists and would be accepted: a name the project defines that is
 * itself a developer name (reference spec §0.3: a letter first, letters, digits and single underscores, no trailing
 * underscore, at most 80 characters). A component whose own name is not one (`Away_`, `Away Status`) is refused
 * where it is defined (NAME-DEVELOPER-NAME) and never deploys, so pointing a reference at it would trade one error
 * for another: such a name is neither suggested nor listed among the project's names in the hint.
 */
import { describe, expect, test } from 'vitest';
import { validateProject } from '../../scripts/validate/index.ts';
import { filesProject, puc, sps, validate, xml } from './helpers.ts';

const config = (statusOnPushTimeout: string) => xml('PresenceUserConfig', ['<capacity>2</capacity>', '<label>Agents</label>', `<presenceStatusOnPushTimeout>${statusOnPushTimeout}</presenceStatusOnPushTimeout>`]);
const status = (label: string) => xml('ServicePresenceStatus', [`<label>${label}</label>`]);

describe('did you mean: only names that would be accepted', () => {
  test('XML: a project status whose name is no developer name (trailing underscore) is not suggested nor listed', async () => {
    const diagnostics = await validate({ [puc('Agents')]: config('Away'), [sps('Away_')]: status('Away') });
    const text = diagnostics.map((d) => `${d.ruleId}: ${d.message} ${d.hint ?? ''}`);
    expect(diagnostics.filter((d) => d.ruleId === 'NAME-DEVELOPER-NAME').map((d) => d.file)).toEqual([sps('Away_')]);
    expect(text.filter((t) => t.includes('"Away_"') && !t.startsWith('NAME-DEVELOPER-NAME'))).toEqual([]);
    expect(text.filter((t) => t.includes('did you mean'))).toEqual([]);
    const reference = diagnostics.filter((d) => d.file === puc('Agents'));
    expect(reference.map((d) => `${d.severity} ${d.ruleId}`)).toEqual(['info REF-UNRESOLVED-LOCALLY']);
    expect(reference[0].hint).not.toContain('Away_');
  });

  test('XML: a valid name one typo away is still suggested, and only it, beside an invalid one', async () => {
    const diagnostics = await validate({ [puc('Agents')]: config('Away'), [sps('Away_')]: status('Away'), [sps('Awayy')]: status('Away') });
    const typos = diagnostics.filter((d) => d.message.includes('did you mean')).map((d) => `${d.severity} ${d.ruleId}: ${d.message}`);
    expect(typos).toEqual(['warning REF-UNRESOLVED: presenceStatusOnPushTimeout "Away" is not a ServicePresenceStatus of the project; did you mean "Awayy"?']);
  });

  test('the spec: an entry keyed by no developer name ("Away Status") is not suggested for Away_Status', async () => {
    const spec = ['statuses:', "  'Away Status': { label: Away }", 'presenceConfigurations:', '  Agents: { label: Agents, capacity: 2, statusOnPushTimeout: Away_Status }', ''].join('\n');
    const root = filesProject({ 'config/omni-channel.yaml': spec });
    const { diagnostics } = await validateProject({ projectRoot: root });
    const text = diagnostics.map((d) => `${d.ruleId}: ${d.message} ${d.hint ?? ''}`);
    expect(text.filter((t) => t.includes('did you mean'))).toEqual([]);
    expect(text.filter((t) => t.includes('Away Status') && !t.startsWith('NAME-DEVELOPER-NAME'))).toEqual([]);
  });
});
