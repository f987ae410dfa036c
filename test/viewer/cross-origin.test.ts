import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUiServer } from '../../lib/viewer/api';
import { ByteBudget } from '../../lib/viewer/body';
import { TraceEvents } from '../../lib/viewer/events';
import type { IngestQueue } from '../../lib/viewer/ingest';
import { createReceiver } from '../../lib/viewer/receiver';
import { UI_DIR } from '../../lib/viewer/static';
import type { TraceStore } from '../../lib/viewer/store';

/**
 * What another origin (a web page the developer visits) can do with the viewer: nothing. The API names no
 * origin in Access-Control-* headers (a page cannot read the traces), the Host check stops DNS rebinding
 * while still letting in the address the viewer was bound to, and the receiver answers no CORS preflight and
 * takes only non-safelisted content types (a page cannot post spans). These answers come before any read
 * of the store or the queue, so the servers run here in-process without them.
 */
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
}

function request(port: number, host: string, options: http.RequestOptions, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, ...options }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function listen(server: http.Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

const corsHeaders = (headers: http.IncomingHttpHeaders): string[] => Object.keys(headers).filter((h) => h.startsWith('access-control-'));

describe('viewer: other origins', () => {
  const servers: http.Server[] = [];
  const events = new TraceEvents();
  after(() => {
    events.close();
    for (const server of servers) server.close();
  });

  async function uiServer(host: string): Promise<number> {
    const server = createUiServer({ store: {} as TraceStore, events, uiDir: UI_DIR, loopbackOnly: true, host });
    servers.push(server);
    return listen(server, host);
  }

  it('serves the UI at the loopback address it was bound to (127.0.0.2 too), and no other Host', async () => {
    const port = await uiServer('127.0.0.2');
    const get = (hostHeader: string): Promise<number> =>
      request(port, '127.0.0.2', { path: '/', headers: { host: hostHeader } }).then((a) => a.status);
    expect(await get(`127.0.0.2:${port}`)).to.equal(200);
    expect(await get(`localhost:${port}`)).to.equal(200);
    expect(await get(`127.0.0.3:${port}`)).to.equal(403);
    expect(await get(`attacker.example:${port}`)).to.equal(403);
    expect(await get(`127.0.0.2.attacker.example:${port}`)).to.equal(403);
  });

  it('lets no other origin read the API: no Access-Control header, a preflight refused', async () => {
    const port = await uiServer('127.0.0.1');
    const origin = { origin: 'https://attacker.example', host: `127.0.0.1:${port}` };
    const page = await request(port, '127.0.0.1', { path: '/', headers: origin });
    expect(page.status).to.equal(200);
    expect(corsHeaders(page.headers)).to.deep.equal([]);
    const preflight = await request(port, '127.0.0.1', {
      method: 'OPTIONS',
      path: '/api/traces',
      headers: { ...origin, 'access-control-request-method': 'GET' },
    });
    expect([preflight.status, corsHeaders(preflight.headers)]).to.deep.equal([405, []]);
  });

  it('lets no web page post spans to the receiver: no preflight answered, CORS-safelisted types refused', async () => {
    const receiver = createReceiver({
      queue: {} as IngestQueue,
      forward: null,
      maxBodyBytes: 1024,
      maxConcurrent: 4,
      budget: new ByteBudget(4096),
      log: () => undefined,
    });
    servers.push(receiver);
    const port = await listen(receiver, '127.0.0.1');
    const origin = { origin: 'https://attacker.example' };
    const preflight = await request(port, '127.0.0.1', {
      method: 'OPTIONS',
      path: '/v1/traces',
      headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect([preflight.status, corsHeaders(preflight.headers)]).to.deep.equal([405, []]);
    // What a page may send without a preflight (a form, fetch no-cors, sendBeacon): never taken.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const post = await request(port, '127.0.0.1', { method: 'POST', path: '/v1/traces', headers: { ...origin, 'content-type': type } }, '{}');
      expect([type, post.status, corsHeaders(post.headers)]).to.deep.equal([type, 415, []]);
    }
  });
});
