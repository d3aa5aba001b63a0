/**
 * User text in message bundles: every error built from the catalogue names a heading of messages/errors.md
 * (and its variant), each condition has one name, and the bundles load through @salesforce/core's Messages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueError } from '../../scripts/lib/messages.ts';
import { REPO_ROOT } from '../helpers/local-org.ts';

const headings = (bundle: string) => [...readFileSync(join(REPO_ROOT, 'messages', `${bundle}.md`), 'utf8').matchAll(/^# (\S+)$/gm)].map((m) => m[1]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}
const product = sources(join(REPO_ROOT, 'scripts')).map((file) => ({ file: relative(REPO_ROOT, file), text: readFileSync(file, 'utf8') }));

describe('error catalogue (messages/errors.md)', () => {
  const keys = new Set(headings('errors'));

  it('every catalogueError call names a heading, and its variant is a heading too', () => {
    const calls = product.flatMap(({ file, text }) =>
      [...text.matchAll(/catalogueError\('(\w+)'(?:, \{[^}]*?variant: '(\w+)')?/g)].map((m) => ({ file, key: m[2] ? `${m[1]}.${m[2]}` : m[1] })),
    );
    expect(calls.length).toBeGreaterThanOrEqual(35);
    for (const call of calls) expect(keys.has(call.key), `${call.file}: ${call.key}`).toBe(true);
  });

  it('one name per condition: the retired duplicates (NoProject, OmniDisabled, NoDeployFound) are gone from the product', () => {
    for (const { file, text } of product) expect(text, file).not.toMatch(/'(NoProject|OmniDisabled|NoDeployFound)'/);
  });

  it('builds the OmniError from the bundle: name, message with tokens, actions with their tokens', () => {
    const error = catalogueError('NoOrgFound', { tokens: ['uat'], actionTokens: ['uat', 'uat'] });
    expect(error.name).toBe('NoOrgFound');
    expect(error.message).toBe('No authorization found for "uat".');
    expect(error.actions).toEqual(['List known orgs with "sf org list".', 'Log in with "sf org login web --alias uat" (or "sf org login jwt" in CI), then pass --target-org uat.']);
    const variant = catalogueError('DeployNotFound', { variant: 'noneRemembered', exitCode: 1 });
    expect(variant.name).toBe('DeployNotFound');
    expect(variant.message).toBe('No deploy from this project is remembered, and no job id was given.');
    expect(variant.actions).toHaveLength(2);
  });

  it('a heading without an actions list gives no actions; an unknown name is a programming error', () => {
    expect(catalogueError('OrgDescribeFailed').actions).toEqual([]);
    expect(() => catalogueError('NoSuchCondition')).toThrow();
  });
});
