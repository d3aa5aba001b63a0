/**
 * scripts/lib/redact.ts: the last line of defence against printing secrets. Each pattern is checked on the
 * shape Salesforce really uses, and ordinary text (org ids, ids in URLs, usernames) must come back unchanged.
 */
import { describe, expect, test } from 'vitest';
import { redact, registerSecret } from '../../scripts/lib/redact.ts';
import { createUi } from '../../scripts/cli/ui.ts';

// Shaped like real tokens; built at run time so no token-looking literal sits in the repository.
const ACCESS_TOKEN = `00D5g000004ABCD!AQ${'x'.repeat(10)}.${'A1b2C3d4'.repeat(10)}`;
const REFRESH_TOKEN = `5Aep861${'Zy9'.repeat(25)}`;

describe('redact', () => {
  test.each([
    ['a bare access token (00D…!…)', `token is ${ACCESS_TOKEN} here`, 'token is <redacted-token> here'],
    ['a refresh token (5Aep…)', `refresh ${REFRESH_TOKEN}`, 'refresh <redacted-token>'],
    ['an Authorization header', 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345', 'Authorization: Bearer <redacted>'],
    ['a lower-case bearer', 'bearer abcdefghijklmnopqrstuvwxyz', 'bearer <redacted>'],
    ['a query/form parameter', 'POST grant_type=password&client_secret=s3cr3tvalue&password=hunter22', 'POST grant_type=password&client_secret=<redacted>&password=<redacted>'],
    ['a JSON property', '{"access_token": "abc.def", "instance_url": "https://x"}', '{"access_token": "<redacted>", "instance_url": "https://x"}'],
    ['a camelCase JSON property', '{"accessToken":"abc","sessionId":"def"}', '{"accessToken":"<redacted>","sessionId":"<redacted>"}'],
    ['a SOAP session header', '<SessionHeader><sessionId>SESSION-123</sessionId></SessionHeader>', '<SessionHeader><sessionId><redacted></sessionId></SessionHeader>'],
    ['a prefixed SOAP session header', '<met:sessionId>SESSION-123</met:sessionId>', '<met:sessionId><redacted></met:sessionId>'],
    ['a SOAP login result', `<result><sessionId>${ACCESS_TOKEN}</sessionId></result>`, '<result><sessionId><redacted-token></sessionId></result>'],
  ])('masks %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  test('leaves ordinary text alone: org and record ids, URLs, usernames, the word Bearer without a token', () => {
    const text = [
      'Org 00D5g000004ABCDEAA on https://acme.my.salesforce.com/services/data/v66.0/sobjects/User/0055g00000AbCdEAAZ',
      'agent@acme.example assigned to miaw',
      'Bearer token missing',
      'export SF_ACCESS_TOKEN=<token> (or SF_ACCESS_TOKEN=$TOKEN, access_token=…)',
      'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml:3:5: error PUC-CAPACITY',
    ].join('\n');
    expect(redact(text)).toBe(text);
  });

  test('a registered secret is masked wherever it appears, even without a known shape', () => {
    const secret = `plain-secret-${process.pid}-value`;
    expect(redact(`x ${secret} y ${secret}`)).toContain(secret);
    registerSecret(secret);
    expect(redact(`x ${secret} y ${secret}`)).toBe('x <redacted> y <redacted>');
    // Too short to register safely (would mask ordinary words).
    registerSecret('abc');
    expect(redact('abc abc')).toBe('abc abc');
  });

  test('the ui redacts every stream it writes, including errors and tables', () => {
    let out = '';
    let err = '';
    const ui = createUi({
      json: false,
      env: { CI: 'true' },
      stdout: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
    });
    ui.log(`token ${ACCESS_TOKEN}`);
    ui.table([{ header: `Bearer ${'q'.repeat(20)}` }]);
    ui.info(`<sessionId>abc</sessionId>`);
    ui.error(`access_token=${ACCESS_TOKEN}`);
    expect(out + err).not.toContain(ACCESS_TOKEN);
    expect(out + err).not.toContain('q'.repeat(20));
    expect(out).toContain('token <redacted-token>');
    expect(err).toContain('<sessionId><redacted></sessionId>');
    expect(err).toMatch(/access_token=<redacted(-token)?>/);
  });
});
