/**
 * The local org survives what it is sent: it authenticates before reading a body, caps bodies with 413
 * as Salesforce does, and no request (huge, truncated, malformed) can crash it.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { BODY_MAX_BYTES } from '../../local-org/http.ts';
import { API_VERSION, api, dataPath, startTestOrg } from '../helpers/local-org.ts';

/**
 * Streams `total` bytes (declared with Content-Length unless `chunked`) until the server answers; returns
 * the status, the answer, and how many bytes were written before it came.
 */
function upload(org: LocalOrg, path: string, total: number, options: { token?: string; chunked?: boolean; contentType?: string } = {}): Promise<{ status: number; body: string; written: number; error?: string }> {
  const url = new URL(org.instanceUrl + path);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (!options.chunked) headers['content-length'] = String(total);
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: url.pathname, headers });
    const chunk = Buffer.alloc(1 << 20, 0x61);
    let written = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, written });
        req.destroy();
      });
    });
    // A server that answers early and closes may reset the upload before the client reads the answer.
    req.on('error', (error) => {
      if (!answered) resolve({ status: 0, body: '', written, error: (error as NodeJS.ErrnoException).code });
    });
    void reject;
    const pump = () => {
      while (!answered && written < total) {
        const n = Math.min(chunk.length, total - written);
        written += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

let org: LocalOrg;
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(async () => {
  await org.stop();
});

describe('12. authentication before bodies, 413 past the cap, and no request crashes the org', () => {
  it('100 MB without a token: 401 INVALID_SESSION_ID before the body is read (memory barely moves)', async () => {
    global.gc?.();
    const rss = process.memoryUsage().rss;
    const result = await upload(org, dataPath('/composite/sobjects'), 100 * 1024 * 1024);
    if (result.status === 0) expect(['EPIPE', 'ECONNRESET']).toContain(result.error);
    else {
      expect(result.status).toBe(401);
      expect(JSON.parse(result.body)).toEqual([{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    }
    expect(result.written).toBeLessThan(100 * 1024 * 1024);
    expect(process.memoryUsage().rss - rss).toBeLessThan(60 * 1024 * 1024);
  });

  it('a SOAP request without a valid session is refused after its header, not after its body', async () => {
    const envelope = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:met="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><met:SessionHeader><met:sessionId>bogus</met:sessionId></met:SessionHeader></soapenv:Header><soapenv:Body><met:deploy><met:ZipFile>`;
    const url = new URL(`${org.instanceUrl}/services/Soap/m/${API_VERSION}`);
    const result = await new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: url.pathname, headers: { 'content-type': 'text/xml', soapaction: '""', 'content-length': String(80 * 1024 * 1024) } });
      let written = 0;
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, written });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write(envelope);
      written += envelope.length;
      const chunk = Buffer.alloc(1 << 20, 0x41);
      const pump = () => {
        while (written < 80 * 1024 * 1024 - chunk.length) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      pump();
    });
    expect(result.status).toBe(500);
    expect(result.body).toContain('INVALID_SESSION_ID');
    expect(result.written).toBeLessThan(80 * 1024 * 1024 - (1 << 20));
  });

  it('an authenticated body over the cap is answered 413, by Content-Length at once or while streaming (chunked)', async () => {
    const small = await startTestOrg({ maxBodyBytes: 1024 * 1024 });
    try {
      const declared = await upload(small, dataPath('/composite/sobjects'), 2 * 1024 * 1024, { token: small.accessToken });
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toEqual([{ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: 'The request body exceeds the maximum of 1048576 bytes.' }]);
      const chunked = await upload(small, dataPath('/composite/sobjects'), 3 * 1024 * 1024, { token: small.accessToken, chunked: true });
      expect(chunked.status).toBe(413);
      // Still serving.
      expect((await api(small, 'GET', dataPath('/limits'), undefined, small.accessToken)).status).toBe(200);
    } finally {
      await small.stop();
    }
  });

  it('a body larger than the default cap (as the 600 MB body that killed it) is 413 and the org keeps serving', async () => {
    const result = await upload(org, dataPath('/composite/sobjects'), BODY_MAX_BYTES + 8 * 1024 * 1024, { token: org.accessToken, chunked: true });
    if (result.status === 0) expect(['EPIPE', 'ECONNRESET']).toContain(result.error);
    else expect(result.status).toBe(413);
    expect(result.written).toBeLessThan(BODY_MAX_BYTES + 8 * 1024 * 1024);
    expect((await api(org, 'GET', dataPath('/limits'))).status).toBe(200);
  }, 120_000);

  it('malformed, truncated and absurd requests get answers (or a closed socket), never a crash', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const url = new URL(org.instanceUrl);
        const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
        let answer = '';
        socket.on('data', (d) => (answer += d));
        socket.on('close', () => resolve(answer));
        socket.on('error', () => resolve(answer));
      });
    await raw('GARBAGE\r\n\r\n');
    await raw(`POST ${dataPath('/composite/sobjects')} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${org.accessToken}\r\nContent-Length: 1000\r\n\r\n{"recor`);
    await raw(`GET /services/data/v${API_VERSION}/query?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await raw(`POST ${dataPath('/composite/sobjects')} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${org.accessToken}\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"a":[[[[`);
    const bad = await api(org, 'POST', dataPath('/composite/sobjects'), undefined);
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect((await api(org, 'GET', dataPath('/limits'))).status).toBe(200);
  });
});
