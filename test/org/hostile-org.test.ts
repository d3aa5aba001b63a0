/**
 * The org side of hostile input: an org that cannot be reached, HTTP errors without a body, a transient
 * error while polling a deployment, a token that must stay in memory, and lists too long for one URL.
 * Everything over real HTTP against the local org (a small proxy in front of it injects the failures).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { connectOrg } from '../../scripts/org/connection.ts';
import { MAX_ENCODED_QUERY, MAX_URI_AND_HEADERS, inListQueries } from '../../scripts/org/soql.ts';
import { NODE_BIN, OMNI } from '../deploy/helpers.ts';
import { makeProject } from '../helpers/project.ts';
import { authorizeSf, makeSfHome, runProcess, startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess, omniWithHome } from '../helpers/omni.ts';
import { proxy } from '../helpers/proxy.ts';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Makes the API version cached in every auth file of `home` four days old (`instanceApiVersionLastRetrieved`, the
 * local time string core writes): @salesforce/core trusts it for a day, then asks the org again.
 */
function ageApiVersionCache(home: string): void {
  const dir = path.join(home, '.sfdx');
  for (const name of readdirSync(dir).filter((f) => f.includes('@') && f.endsWith('.json'))) {
    const auth = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    expect(auth.instanceApiVersion).toBeTruthy();
    auth.instanceApiVersionLastRetrieved = new Date(Date.now() - 4 * 86_400_000).toLocaleString();
    writeFileSync(path.join(dir, name), JSON.stringify(auth, null, 2));
  }
}

/**
 * An sf alias `gone` in `home` for a local org that is then stopped, its login four days old (as a dead scratch
 * org's is: @salesforce/core then asks the org for its API versions while it creates the org, once at flag parse
 * and once at connect, each GET retried for ≈ 15.5 s by jsforce). Returns the stopped org (its URL and token).
 */
async function aliasOfStoppedOrg(home: ReturnType<typeof makeSfHome>): Promise<LocalOrg> {
  const down = await startTestOrg();
  try {
    await authorizeSf(home, down, 'gone');
    return down;
  } finally {
    await down.stop();
    ageApiVersionCache(home.home);
  }
}

function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesBelow(p));
    else out.push(p);
  }
  return out;
}

let org: LocalOrg;
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(async () => {
  await org.stop();
});

describe('9. an unreachable org is named with its URL, the reason and what to check', () => {
  it('--instance-url on a port nothing listens on: OrgUnreachable (connection refused), exit 1, nothing sent', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    await expect(connectOrg({ instanceUrl: url, env: { SF_ACCESS_TOKEN: org.accessToken } })).rejects.toMatchObject({
      name: 'OrgUnreachable',
      message: `The org at ${url} could not be reached (connection refused).`,
      actions: expect.arrayContaining([expect.stringContaining('VPN'), expect.stringContaining('omni org local')]),
    });
    const project = makeProject();
    const result = await omniInProcess({ ...org, instanceUrl: url }, project.dir, ['deploy', '--json']);
    expect(result.code).toBe(1);
    expect(result.json).toMatchObject({ name: 'OrgUnreachable', message: `The org at ${url} could not be reached (connection refused).` });
    project.cleanup();
  });

  it('through an sf alias whose org is down: the same message with the alias URL at once, not after the retries', async () => {
    const home = makeSfHome();
    try {
      const down = await aliasOfStoppedOrg(home);
      const url = down.instanceUrl;
      const project = makeProject();
      const started = Date.now();
      const result = await omniWithHome(project.dir, ['assign', 'plan', '--config', 'miaw', '--user', 'agent01@omni.local', '--target-org', 'gone', '--json'], home.env);
      const waited = Date.now() - started;
      expect(result.code).toBe(1);
      expect(result.json).toMatchObject({ name: 'OrgUnreachable', exitCode: 1, message: `The org at ${url} could not be reached (connection refused).` });
      expect(result.json.actions).toEqual(expect.arrayContaining([expect.stringContaining('VPN'), expect.stringContaining('omni org local')]));
      expect(result.stdout + result.stderr).not.toContain('fetch failed');
      // Before: ≥ 46 s of retry sleeps alone (three retried requests); now one refused connect, 0.5 s, another.
      expect(waited).toBeLessThan(15_000);

      // The same org as the sf config's target-org (`sf config set target-org gone --global`), no flag: connectOrg's path.
      mkdirSync(path.join(home.home, '.sf'), { recursive: true });
      writeFileSync(path.join(home.home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'gone' }));
      const again = Date.now();
      const viaConfig = await omniWithHome(project.dir, ['assign', 'plan', '--config', 'miaw', '--user', 'agent01@omni.local', '--json'], home.env);
      expect(viaConfig.code).toBe(1);
      expect(viaConfig.json).toMatchObject({ name: 'OrgUnreachable', message: `The org at ${url} could not be reached (connection refused).` });
      expect(Date.now() - again).toBeLessThan(15_000);
      project.cleanup();
    } finally {
      await home.cleanup();
    }
  }, 90_000);

  it('omni doctor through an alias whose org is down: its report (first check fails with the URL, the others skip), exit 1, at once', async () => {
    // Doctor is the diagnosis: CI reads result.checks, as for --instance-url on a dead port. The alias's connection
    // check at flag parse made it throw OrgUnreachable with result: null instead.
    const home = makeSfHome();
    try {
      const down = await aliasOfStoppedOrg(home);
      const url = down.instanceUrl;
      const project = makeProject();
      const message = `The org at ${url} could not be reached (connection refused).`;
      const started = Date.now();
      const viaAlias = await omniWithHome(project.dir, ['doctor', '-o', 'gone', '--json'], home.env);
      // Not sf's Org.create at parse or connect: that asks the dead org for its API versions, ≈ 15.5 s of retries each.
      expect(Date.now() - started).toBeLessThan(15_000);
      const viaUrl = await omniInProcess({ ...down, instanceUrl: url }, project.dir, ['doctor', '--json']);
      for (const result of [viaAlias, viaUrl]) {
        expect(result.code, result.stdout + result.stderr).toBe(1);
        expect(result.json.status).toBe(1);
        expect(result.json.name).toBeUndefined();
        const checks: Array<{ id: string; status: string; message: string; fix?: string }> = result.json.result.checks;
        expect(checks[0]).toMatchObject({ status: 'fail', message });
        expect(checks[0].fix).toContain('"omni org local"');
        expect(checks.length).toBeGreaterThan(4);
        expect(checks.slice(1).map((c) => c.status)).toEqual(checks.slice(1).map(() => 'skip'));
      }
      expect(viaAlias.json.result.checks.map((c: { id: string }) => c.id)).toEqual(viaUrl.json.result.checks.map((c: { id: string }) => c.id));
      const text = await omniWithHome(project.dir, ['doctor', '-o', 'gone'], home.env);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(message);
      // The other commands still fail at once with OrgUnreachable.
      const deploy = await omniWithHome(project.dir, ['deploy', '-o', 'gone', '--json'], home.env);
      expect(deploy.json).toMatchObject({ name: 'OrgUnreachable', exitCode: 1, status: 1, message });
      expect(deploy.code).toBe(1);
      project.cleanup();
    } finally {
      await home.cleanup();
    }
  }, 90_000);

  it('a broken project through an alias whose org is down: its local findings first (deploy --dry-run, plan, assign plan), exit 1', async () => {
    // As `sf project deploy validate` users expect: what needs no org is checked before the org is tried, so a
    // broken project fails with its findings whether or not the org answers (the same as through --instance-url
    // or the sf config's target-org). README: ValidationFailed and OrgUnreachable are both exit 1.
    const home = makeSfHome();
    try {
      const down = await aliasOfStoppedOrg(home);
      const project = makeProject();
      const puc = path.join(project.dir, 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml');
      // Not a number: every one of these commands reads the files before the org (plan: their parse errors).
      writeFileSync(puc, readFileSync(puc, 'utf8').replace(/<capacity>\d+<\/capacity>/, '<capacity>twenty</capacity>'));
      // (deploy without --dry-run takes the same path: its validation comes before its connection too)
      for (const args of [['deploy', '--dry-run'], ['plan']]) {
        const result = await omniWithHome(project.dir, [...args, '-o', 'gone', '--json'], home.env);
        expect(result.code, args.join(' ')).toBe(1);
        expect(result.json, args.join(' ')).toMatchObject({ name: 'ValidationFailed', exitCode: 1, status: 1 });
        expect(result.json.message, args.join(' ')).toContain('presenceUserConfigs/miaw.presenceUserConfig-meta.xml:');
        expect(result.json.message, args.join(' ')).toContain('XML-VALUE-TYPE');
      }
      // An assignment file that cannot be read: its own error at its line, not the org's.
      writeFileSync(path.join(project.dir, 'broken.yaml'), 'presenceConfigurations:\n  miaw:\n    users:\n      usernames: 5\n');
      const assign = await omniWithHome(project.dir, ['assign', 'plan', '--file', 'broken.yaml', '-o', 'gone', '--json'], home.env);
      expect(assign.code).toBe(1);
      expect(assign.json.name).not.toBe('OrgUnreachable');
      expect(assign.json.message).toContain('broken.yaml:4');
      // A project without findings then meets the unreachable org, as before.
      writeFileSync(puc, readFileSync(puc, 'utf8').replace('<capacity>twenty</capacity>', '<capacity>20</capacity>'));
      const clean = await omniWithHome(project.dir, ['deploy', '--dry-run', '-o', 'gone', '--json'], home.env);
      expect(clean.code).toBe(1);
      expect(clean.json).toMatchObject({ name: 'OrgUnreachable', exitCode: 1, message: `The org at ${down.instanceUrl} could not be reached (connection refused).` });
      project.cleanup();
    } finally {
      await home.cleanup();
    }
  }, 90_000);

  it('an alias whose org refuses once and then listens (restarting): the second attempt connects and the command runs', async () => {
    const home = makeSfHome();
    // A TCP forwarder to the org on a port of its own: the alias points at it; it is closed, then listens again on the
    // same port right after the command's first connection attempt is refused.
    const sockets = new Set<Socket>();
    const forwarder = createNetServer((socket) => {
      sockets.add(socket);
      const upstream = connect(Number(new URL(org.instanceUrl).port), '127.0.0.1');
      sockets.add(upstream);
      socket.pipe(upstream).pipe(socket);
      const drop = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
    const port = (forwarder.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    let refused = 0;
    const onSocket = ({ socket }: { socket: Socket }) => {
      socket.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNREFUSED' || socket.remotePort !== undefined || refused++ > 0) return;
        forwarder.listen(port, '127.0.0.1');
      });
    };
    try {
      await authorizeSf(home, { ...org, instanceUrl: url }, 'blip');
      await new Promise((resolve) => {
        forwarder.close(resolve);
        for (const socket of sockets) socket.destroy();
      });
      subscribe('net.client.socket', onSocket as never);
      const project = makeProject();
      const result = await omniWithHome(project.dir, ['plan', '--target-org', 'blip', '--json'], home.env);
      expect(refused).toBe(1);
      expect(result.json?.name).toBeUndefined();
      expect(result.code).toBe(0);
      // The plan was read from the org through the forwarder, on the port that refused the first attempt.
      expect(result.json.result.org.instanceUrl).toBe(url);
      expect(result.json.result.items.length).toBeGreaterThan(0);
      project.cleanup();
    } finally {
      unsubscribe('net.client.socket', onSocket as never);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => forwarder.close(resolve));
      await home.cleanup();
    }
  }, 90_000);
});

describe('9b. a URL that answers but is no Salesforce org is named as such, not as an expired session', () => {
  it('--instance-url of a web server answering 404: NotSalesforceOrg naming the URL and what answered, exit 1', async () => {
    // Any non-Salesforce web server: a typo in the port or host that lands on another service.
    const other = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>not found</html>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const project = makeProject();
      const result = await omniInProcess({ ...org, instanceUrl: url }, project.dir, ['plan', '--json']);
      expect(result.code).toBe(1);
      expect(result.json).toMatchObject({
        name: 'NotSalesforceOrg',
        message: `The server at ${url} does not answer as a Salesforce org (GET /services/data/ gave HTTP 404).`,
      });
      expect(result.json.actions.join(' ')).toContain('--instance-url');
      project.cleanup();
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('the real org with a rejected token is still an expired session (the probe finds its API versions)', async () => {
    const project = makeProject();
    const result = await omniInProcess(org, project.dir, ['plan', '--json'], 'not-a-token');
    expect(result.code).toBe(1);
    expect(result.json.name).toMatch(/Expired|Session/);
    project.cleanup();
  });
});

describe('10. every HTTP error carries a message', () => {
  it('a 431 with an empty body (as Salesforce answers an oversized URI) is reported with its status and meaning', async () => {
    // Queries go out as GET …/query or inside POST …/composite: both answered 431 with an empty body.
    const front = await proxy(org, (req) => (req.url?.includes('/query') || req.url?.includes('/composite') ? { status: 431 } : undefined));
    try {
      const project = makeProject();
      const result = await omniInProcess({ ...org, instanceUrl: front.url }, project.dir, ['assign', 'plan', '--config', 'miaw', '--user', 'agent01@omni.local', '--json']);
      expect(result.code).toBe(1);
      expect(result.json.message).toBe("HTTP 431 Request Header Fields Too Large: the request URI and headers exceed Salesforce's 16,384-byte limit (the org sent no error message).");
      project.cleanup();
    } finally {
      front.server.close();
    }
  });
});

describe('10. (per record) the assignment journal never records an empty message', () => {
  it('errorInfo of an empty-bodied HTTP error names its status', async () => {
    const { errorInfo } = await import('../../scripts/assign/api.ts');
    const error = Object.assign(new Error(''), { name: 'ERROR_HTTP_431', errorCode: 'ERROR_HTTP_431' });
    expect(errorInfo(error)).toEqual({
      code: 'ERROR_HTTP_431',
      message: "HTTP 431 Request Header Fields Too Large: the request URI and headers exceed Salesforce's 16,384-byte limit (the org sent no error message).",
    });
  });
});

describe('11. a transient error between two deploy status polls does not fail a deployment that succeeds', () => {
  it('a 503 on the first checkDeployStatus: the deployment is reported as the org has it (Succeeded), exit 0', async () => {
    // The first poll: a later one may never come on a loaded machine (the org can finish before it).
    let polls = 0;
    const front = await proxy(org, (req, body) => {
      if (req.url?.includes('/services/Soap/m/') && body.includes('checkDeployStatus') && ++polls === 1) {
        return { status: 503, body: '<html><body>Service Unavailable</body></html>', headers: { 'content-type': 'text/html' } };
      }
      return undefined;
    });
    try {
      const project = makeProject();
      const result = await omniInProcess({ ...org, instanceUrl: front.url }, project.dir, ['deploy', '--json', '--wait', '10']);
      expect(polls).toBeGreaterThanOrEqual(2);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.json.result.status).toBe('Succeeded');
      expect(org.store.findBy('PresenceUserConfig', 'DeveloperName', 'Case_Agents').length).toBe(1);
      project.cleanup();
    } finally {
      front.server.close();
    }
  }, 120_000);
});

describe('18. SF_ACCESS_TOKEN + --instance-url keeps the token in memory', () => {
  it('no file under HOME holds the token and no sf auth file is written', async () => {
    const home = makeSfHome();
    try {
      const project = makeProject();
      const result = await runProcess(NODE_BIN, [OMNI, 'assign', 'plan', '--config', 'miaw', '--user', 'agent01@omni.local', '--instance-url', org.instanceUrl, '--json'], {
        cwd: project.dir,
        env: { ...home.env, SF_ACCESS_TOKEN: org.accessToken, CI: 'true' },
      });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const files = filesBelow(home.home);
      expect(files.filter((f) => path.basename(f) === `${org.username}.json`)).toEqual([]);
      for (const f of files) if (statSync(f).size < 10_000_000) expect(readFileSync(f, 'utf8'), f).not.toContain(org.accessToken);
      project.cleanup();
    } finally {
      home.cleanup();
    }
  }, 60_000);
});

describe('#15: list queries are split under the 16,384-byte URI + headers limit', () => {
  it('at the boundary: a query of exactly MAX_ENCODED_QUERY encoded bytes is one request, one byte more is two', () => {
    const build = (list: string) => `SELECT Id FROM PresenceUserConfig WHERE DeveloperName IN ${list}`;
    const overhead = encodeURIComponent(build("('')")).length;
    // Values of 10 plain characters: each adds 10 + 2 quotes + a comma (+1 for the first's parentheses slack).
    const fill = (n: number) => Array.from({ length: n }, (_, i) => `v${String(i).padStart(9, '0')}`);
    let n = 1;
    while (encodeURIComponent(build(`(${fill(n + 1).map((v) => `'${v}'`).join(',')})`)).length <= MAX_ENCODED_QUERY) n++;
    const fits = inListQueries(fill(n), build);
    expect(fits).toHaveLength(1);
    expect(encodeURIComponent(fits[0]).length).toBeLessThanOrEqual(MAX_ENCODED_QUERY);
    const over = inListQueries(fill(n + 1), build);
    expect(over).toHaveLength(2);
    for (const q of over) expect(encodeURIComponent(q).length).toBeLessThanOrEqual(MAX_ENCODED_QUERY);
    expect(overhead).toBeGreaterThan(0);
    expect(MAX_URI_AND_HEADERS).toBe(16_384);
  });

  it('a query at the limit goes through the local org (which refuses URI + headers over 16,384 bytes with 431)', async () => {
    const session = await connectOrg({ instanceUrl: org.instanceUrl, env: { SF_ACCESS_TOKEN: org.accessToken } });
    const build = (list: string) => `SELECT Id FROM PresenceUserConfig WHERE DeveloperName IN ${list}`;
    const values = Array.from({ length: 3000 }, (_, i) => `Config_${i}`);
    const queries = inListQueries(values, build);
    expect(queries.length).toBeGreaterThan(1);
    const longest = queries.reduce((a, b) => (encodeURIComponent(a).length >= encodeURIComponent(b).length ? a : b));
    expect(encodeURIComponent(longest).length).toBeGreaterThan(MAX_ENCODED_QUERY - 40);
    await expect(session.connection.query(longest)).resolves.toMatchObject({ totalSize: 0 });
    // The same values in one query are refused by the org, as Salesforce does.
    await expect(session.connection.query(build(`(${values.map((v) => `'${v}'`).join(',')})`))).rejects.toMatchObject({ name: 'ERROR_HTTP_431' });
  });

  it('omni deploy of 5,000 generated presence configurations works against the local org', async () => {
    const project = makeProject();
    const dir = path.join(project.dir, 'force-app/main/default/presenceUserConfigs');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 5000; i++) {
      const name = `Generated_Config_${String(i).padStart(4, '0')}`;
      writeFileSync(
        path.join(dir, `${name}.presenceUserConfig-meta.xml`),
        `<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacity>${(i % 20) + 1}</capacity>\n    <label>${name}</label>\n</PresenceUserConfig>\n`,
      );
    }
    const bulk = await startTestOrg();
    try {
      const result = await omniInProcess(bulk, project.dir, ['deploy', '--json', '--wait', '20']);
      expect(result.code, (result.stdout + result.stderr).slice(0, 2000)).toBe(0);
      // The checks cost what they cost for the sample (test/deploy/request-counts.test.ts): ≤ 6 requests
      // besides the deployment and its polls, whatever the number of components.
      const besides = Object.entries(bulk.stats().byEndpoint).filter(([e]) => e !== 'soap/metadata:deploy' && e !== 'soap/metadata:checkDeployStatus');
      expect(besides.reduce((n, [, c]) => n + c, 0), JSON.stringify(besides)).toBeLessThanOrEqual(6);
      expect(result.json.result.status).toBe('Succeeded');
      expect(bulk.store.findBy('PresenceUserConfig', 'DeveloperName', 'Generated_Config_4999').length).toBe(1);
      expect([...bulk.store.all('PresenceUserConfig')].filter((r) => String(r.DeveloperName).startsWith('Generated_Config_')).length).toBe(5000);
    } finally {
      await bulk.stop();
      project.cleanup();
    }
  }, 300_000);
});
