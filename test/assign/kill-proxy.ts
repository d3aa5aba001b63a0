/**
 * Kills a spawned `omni` run at a known request instead of at a timed moment: a pass-through HTTP proxy in
 * front of a local org (both in the test process) counts the run's requests and sends SIGKILL at the n-th
 * one that matches, at one of three points of that request. The kill lands mid-run on an idle and on a
 * loaded machine alike, so a test needs neither latency to stretch the run nor retries of its timing.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalOrg } from '../../local-org/server.ts';

/** A request as the proxy saw it: method, path with query, and the whole body (read before forwarding). */
export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
}

/**
 * Where the run dies, relative to the n-th request that `match`es (1-based):
 * - `sent`: the request has left the run but never reaches the org;
 * - `answered`: the org has carried it out and answered, the run never sees the answer (the write happened,
 *   the journal cannot know);
 * - `relayed`: right after the run has received the answer (it is recording it or sending the next request).
 */
export interface KillPoint {
  match(request: ProxiedRequest): boolean;
  nth: number;
  at: 'sent' | 'answered' | 'relayed';
}

export interface KillingProxy {
  /** Base URL to give the run instead of the org's instanceUrl. */
  url: string;
  /** Kills with `kill` at `point`; until `disarm`, every request after the kill is dropped unanswered. */
  arm(point: KillPoint, kill: () => void): void;
  /** Passes everything through again (for the resume that follows) and says whether the kill fired. */
  disarm(): boolean;
  close(): Promise<void>;
}

/** The requests that change the org: every non-GET one but logins, Bulk query jobs and Composite batches of queries. */
export function isWrite({ method, path, body }: ProxiedRequest): boolean {
  if (method === 'GET' || path.includes('/oauth2/') || path.includes('/jobs/query')) return false;
  if (/\/composite(\?|$)/.test(path)) return /"method"\s*:\s*"(?!GET")/.test(body);
  return true;
}

export async function killingProxy(org: LocalOrg): Promise<KillingProxy> {
  const target = new URL(org.instanceUrl);
  let url = '';
  let armed: { point: KillPoint; kill: () => void; seen: number; fired: boolean } | undefined;

  const fire = () => {
    if (!armed || armed.fired) return;
    armed.fired = true;
    armed.kill();
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (armed?.fired) return void res.destroy(); // the run is dead: nothing after the kill reaches the org
      const body = Buffer.concat(chunks);
      const seen: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') };
      const here = armed?.point.match(seen) && ++armed.seen === armed.point.nth ? armed.point.at : undefined;
      if (here === 'sent') {
        fire();
        return void res.destroy();
      }
      const forward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        if (here === 'answered') {
          answer.resume();
          answer.on('end', () => {
            fire();
            res.destroy();
          });
          return;
        }
        if (here === 'relayed') res.on('finish', fire);
        if (seen.path.startsWith('/services/oauth2/')) {
          // A login answers with the org's own instance_url: name the proxy instead, or the run would bypass it.
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8').replaceAll(org.instanceUrl, url);
            const { 'content-length': _, ...headers } = answer.headers;
            res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': Buffer.byteLength(text) });
            res.end(text);
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  // Idle kept-alive connections stay open as long as the org's do [F-64]: with Node's 5 s, a test process
  // busy for seconds (an in-process org's save) reset requests already sent on them.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    arm(point, kill) {
      armed = { point, kill, seen: 0, fired: false };
    },
    disarm() {
      const fired = armed?.fired ?? false;
      armed = undefined;
      return fired;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
