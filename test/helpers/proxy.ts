/**
 * An HTTP proxy in front of a local org, for tests that must see or change the wire: `intercept` sees each
 * request (with its body) and may answer it itself (the org never sees it), or hold it for `holdMs` before
 * forwarding it (the client waits on that one request, as on a slow org); `onAnswer` is told when the
 * org's answer to a forwarded request has been passed on. Binds 127.0.0.1 on port 0; close `server` after.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalOrg } from '../../local-org/server.ts';

export type Intercept = (req: IncomingMessage, body: Buffer) => { status: number; body?: string; headers?: Record<string, string> } | { holdMs: number } | undefined;

export async function proxy(org: Pick<LocalOrg, 'instanceUrl'>, intercept: Intercept, onAnswer?: (req: IncomingMessage, body: Buffer) => void): Promise<{ url: string; server: Server }> {
  const target = new URL(org.instanceUrl);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const own = intercept(req, body);
      if (own && 'holdMs' in own) {
        setTimeout(() => forward(req, body, res), own.holdMs);
        return;
      }
      if (own) {
        res.writeHead(own.status, { 'content-length': String(Buffer.byteLength(own.body ?? '')), ...(own.headers ?? {}) });
        res.end(own.body ?? '');
        return;
      }
      forward(req, body, res);
    });
  });
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const sent = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', () => onAnswer?.(req, body));
    });
    sent.on('error', () => res.destroy());
    sent.end(body);
  };
  // Idle kept-alive connections stay open as long as the org's do [F-64]: with Node's 5 s, a test process
  // busy for seconds (an in-process org's save) reset requests already sent on them.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * A proxy in front of `org` that times its Metadata API (SOAP) calls by operation (`deploy`, `checkDeployStatus`,
 * `retrieve`, …, the first element of the SOAP body): `sent(op)` when each call reached the proxy, `answered(op)`
 * when the org's answer to each was passed on — `performance.now()` ms, in call order. For tests of when a
 * client polls. Close `server` after.
 */
export async function metadataCallClock(org: Pick<LocalOrg, 'instanceUrl'>): Promise<{ url: string; server: Server; sent(op: string): number[]; answered(op: string): number[] }> {
  const sent = new Map<string, number[]>();
  const answered = new Map<string, number[]>();
  const operation = (req: IncomingMessage, body: Buffer) => (req.url?.includes('/services/Soap/m/') ? /<(?:\w+:)?Body\b[^>]*>\s*<(?:\w+:)?(\w+)/.exec(body.toString('utf8'))?.[1] : undefined);
  const note = (times: Map<string, number[]>, op: string | undefined) => {
    if (op) times.set(op, [...(times.get(op) ?? []), performance.now()]);
  };
  const front = await proxy(
    org,
    (req, body) => {
      note(sent, operation(req, body));
      return undefined;
    },
    (req, body) => note(answered, operation(req, body)),
  );
  return { ...front, sent: (op) => sent.get(op) ?? [], answered: (op) => answered.get(op) ?? [] };
}
