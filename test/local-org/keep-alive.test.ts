/**
 * [F-64] Kept-alive connections and a busy org. A write on a large org keeps the local org's event loop
 * busy for seconds (its synchronous, fsync'd save); a request the client sent meanwhile on a kept-alive
 * connection must be answered, not reset because the idle timer ran out before the request was read.
 * The trial: 19 of 75 composite moves of a 15,000-user run failed with ECONNRESET this way.
 */
import dc from 'node:diagnostics_channel';
import { afterAll, beforeAll, expect, it } from 'vitest';
import jsforce from 'jsforce';
import type { LocalOrg } from '../../local-org/server.ts';
import { API_VERSION, startTestOrg } from '../helpers/local-org.ts';

let org: LocalOrg;
/** Every socket a request of this file went out on (undici, jsforce's transport, publishes each send). */
const served = new Set<unknown>();
/** Set by a test: what to do when the next request's headers have gone out on `socket`. */
let onNextSend: ((socket: unknown) => void) | undefined;
const onSend = (message: unknown) => {
  const socket = (message as { socket: unknown }).socket;
  const hook = onNextSend;
  onNextSend = undefined;
  hook?.(socket);
  served.add(socket);
};

beforeAll(async () => {
  org = await startTestOrg();
  dc.subscribe('undici:client:sendHeaders', onSend);
});
afterAll(async () => {
  dc.unsubscribe('undici:client:sendHeaders', onSend);
  await org?.stop();
});

/**
 * Holds this process's event loop (org and client share it) as a long synchronous save in the org does,
 * without spending CPU: Atomics.wait sleeps the thread.
 */
function holdLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A GET as the product sends it: jsforce's transport with its own retries off (scripts/assign/api.ts). */
async function limits(connection: jsforce.Connection): Promise<{ ok: true } | { ok: false; code: string }> {
  try {
    await connection.request({ method: 'GET', url: `/services/data/v${API_VERSION}/limits` }, { retry: { maxRetries: 0 } } as never);
    return { ok: true };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; cause?: { code?: string } } }).cause;
    return { ok: false, code: cause?.code ?? cause?.cause?.code ?? String(error) };
  }
}

it('announces the idle timeout of FIDELITY F-64 (60 s) to keep-alive clients', async () => {
  const answer = await fetch(`${org.instanceUrl}/services/data/v${API_VERSION}/limits`, { headers: { authorization: `Bearer ${org.accessToken}` } });
  await answer.text();
  expect(answer.status).toBe(200);
  expect(answer.headers.get('keep-alive')).toBe('timeout=60');
});

it('answers a request sent on a kept-alive connection while the org was busy past Node’s 5 s idle default, instead of resetting it', async () => {
  const connection = new jsforce.Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: API_VERSION });
  expect(await limits(connection)).toEqual({ ok: true });
  // 2 s after that answer (undici reuses a socket for the server's hint minus 2 s: 3 s under Node's
  // default) the next request goes out on the idle connection, and the loop is held right then for
  // 4.5 s: past the 5 s Node's default idle timer, started by the first answer, allows.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  let reused: boolean | undefined;
  onNextSend = (socket) => {
    reused = served.has(socket);
    holdLoop(4_500);
  };
  const second = await limits(connection);
  expect(reused).toBe(true);
  expect(second).toEqual({ ok: true });
}, 60_000);
