/** The login hint of an expired session names the way to log in to that org: a local org's own command, else sf's. */
import { describe, expect, it } from 'vitest';
import { authError } from '../../scripts/org/connection.ts';

const refused = () => Object.assign(new Error('INVALID_SESSION_ID: Session expired or invalid'), { name: 'INVALID_SESSION_ID' });

describe('authError: the login hint follows the instance URL', () => {
  for (const url of ['http://127.0.0.1:4711', 'http://localhost:8080', 'http://[::1]:9000']) {
    it(`a loopback instance URL (${url}) is a local org: "omni org local --alias …"`, () => {
      const e = authError(refused(), 'local', url);
      expect(e.name).toBe('ExpiredSession');
      expect(e.actions.join(' ')).toContain('omni org local --alias local');
      expect(e.actions.join(' ')).not.toContain('sf org login');
    });
  }

  it('a Salesforce instance URL keeps sf\'s login', () => {
    const e = authError(refused(), 'uat', 'https://acme--uat.sandbox.my.salesforce.com');
    expect(e.name).toBe('ExpiredSession');
    expect(e.actions[0]).toBe('Log in again: "sf org login web --alias uat".');
  });

  it('a local org that fails otherwise (ConnectionFailed) gets the same login, a Salesforce org sf\'s', () => {
    const odd = () => new Error('socket hang up');
    expect(authError(odd(), 'http://127.0.0.1:4711', 'http://127.0.0.1:4711').actions.join(' ')).toContain('omni org local --alias local');
    expect(authError(odd(), 'uat', 'https://acme--uat.sandbox.my.salesforce.com').actions.join(' ')).toContain('sf org login web --alias uat');
  });
});
