import { expect } from 'chai';
import http from 'node:http';
import zlib from 'node:zlib';
import type { FakeCollector } from './fake-collector';
import { startFakeCollector } from './fake-collector';
import { appTracing, exporterFor } from './otel-app';
import type { JsonSpanInput } from './otlp-requests';
import { eventually, getJson, jsonRequest, post, traceId } from './otlp-requests';
import type { ViewerProcess } from './viewer-process';
import { startViewerProcess } from './viewer-process';

/** The UI server's API (the viewer contract): filters, paging, one trace, facets, events, CSP, paths; --forward. */
describe('viewer: the UI server API, and --forward', function () {
  this.timeout(60_000);
  let viewer: ViewerProcess;
  let collector: FakeCollector;
  const base = Date.now() - 3_600_000;
  const ids = { alpha: traceId('1'), beta: traceId('2'), gamma: traceId('3') };
  const attr = (key: string, value: string | number): { key: string; value: unknown } => ({
    key,
    value: typeof value === 'string' ? { stringValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
  });

  const send = async (service: string, spans: JsonSpanInput[]): Promise<void> => {
    const reply = await post(viewer.receiverUrl, JSON.stringify(jsonRequest(service, spans)), { 'content-type': 'application/json' });
    expect(reply.status).to.equal(200);
  };
  const list = async (query: string): Promise<string[]> =>
    (await getJson(`${viewer.uiUrl}/api/traces?${query}`)).body.traces.map((t: { traceId: string }) => t.traceId);

  before(async () => {
    collector = await startFakeCollector();
    viewer = await startViewerProcess(['--grpc-port', 'off', '--forward', collector.url]);
    // The child first, its root in a later export (children end first): the root still names the trace.
    // First of all the SDK's own GenAI span of the LLM call: counted until its LLM parent arrives, then not.
    await send('svc-a', [
      {
        traceId: ids.alpha,
        spanId: '0000000000000a03',
        parentSpanId: '0000000000000a02',
        name: 'chat model-1',
        startMs: base + 1002,
        attributes: [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.usage.input_tokens', 10), attr('gen_ai.usage.output_tokens', 5), attr('gen_ai.request.model', 'model-1')],
      },
    ]);
    expect((await getJson(`${viewer.uiUrl}/api/traces?service=svc-a`)).body.traces[0]).to.include({ llmCount: 1, totalTokens: 15 });
    await send('svc-a', [
      {
        traceId: ids.alpha,
        spanId: '0000000000000a02',
        parentSpanId: '0000000000000a01',
        name: 'llm call',
        startMs: base + 1001,
        durationMs: 5,
        attributes: [attr('openinference.span.kind', 'LLM'), attr('llm.model_name', 'model-1'), attr('llm.token_count.prompt', 10), attr('llm.token_count.completion', 5), attr('llm.cost.total', 0.5)],
      },
    ]);
    await send('svc-a', [{ traceId: ids.alpha, spanId: '0000000000000a01', name: 'alpha', startMs: base + 1000, durationMs: 10, status: { code: 1 } }]);
    await send('svc-b', [
      { traceId: ids.beta, spanId: '0000000000000b01', name: 'beta', startMs: base + 2000, durationMs: 20 },
      {
        traceId: ids.beta,
        spanId: '0000000000000b02',
        parentSpanId: '0000000000000b01',
        name: 'search tool',
        startMs: base + 2001,
        attributes: [attr('openinference.span.kind', 'TOOL'), attr('output.value', 'the needle "quoted"\nsecond line')],
        status: { code: 2, message: 'tool failed' },
      },
    ]);
    await send('svc-a', [
      { traceId: ids.gamma, spanId: '0000000000000c01', name: 'gamma', startMs: base + 3000, durationMs: 30 },
      { traceId: ids.gamma, spanId: '0000000000000c02', parentSpanId: '0000000000000c01', name: 'retrieve', startMs: base + 3001, attributes: [attr('gen_ai.operation.name', 'retrieval')] },
    ]);
  });
  after(async () => {
    expect(await viewer.stop()).to.equal(0);
    await collector.close();
  });

  it('lists newest first, with each summary as the contract says', async () => {
    expect(await list('')).to.deep.equal([ids.gamma, ids.beta, ids.alpha]);
    const { body } = await getJson(`${viewer.uiUrl}/api/traces`);
    expect(body.next).to.equal(null);
    expect(body.traces[2]).to.deep.equal({
      traceId: ids.alpha,
      rootName: 'alpha',
      service: 'svc-a',
      startMs: base + 1000,
      durationMs: 10,
      status: 'OK',
      spanCount: 3,
      llmCount: 1,
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      costUsd: 0.5,
      models: ['model-1'],
      kinds: ['LLM'],
    });
    expect(body.traces[1]).to.include({ rootName: 'beta', status: 'ERROR', llmCount: 0, costUsd: null, durationMs: 20 });
    expect(body.traces[0].kinds).to.deep.equal(['RETRIEVER']);
  });

  it('filters by service, status, kind, model, time range and text in names and content', async () => {
    expect(await list('service=svc-a')).to.deep.equal([ids.gamma, ids.alpha]);
    expect(await list('status=ERROR')).to.deep.equal([ids.beta]);
    expect(await list('status=OK')).to.deep.equal([ids.alpha]);
    expect(await list('kind=LLM')).to.deep.equal([ids.alpha]);
    expect(await list('kind=tool')).to.deep.equal([ids.beta]);
    expect(await list('model=model-1')).to.deep.equal([ids.alpha]);
    expect(await list('model=model')).to.deep.equal([]);
    expect(await list(`from=${base + 1500}&to=${base + 2500}`)).to.deep.equal([ids.beta]);
    expect(await list('q=NEEDLE')).to.deep.equal([ids.beta]);
    expect(await list(`q=${encodeURIComponent('needle "quoted"\nsecond')}`)).to.deep.equal([ids.beta]);
    expect(await list('q=retriev')).to.deep.equal([ids.gamma]);
    expect(await list('q=100%25')).to.deep.equal([]);
    expect(await list('service=svc-a&kind=LLM&status=OK')).to.deep.equal([ids.alpha]);
  });

  it('pages with limit and the opaque cursor', async () => {
    const first = (await getJson(`${viewer.uiUrl}/api/traces?limit=2`)).body;
    expect(first.traces.map((t: { traceId: string }) => t.traceId)).to.deep.equal([ids.gamma, ids.beta]);
    expect(first.next).to.be.a('string');
    const second = (await getJson(`${viewer.uiUrl}/api/traces?limit=2&before=${encodeURIComponent(first.next)}`)).body;
    expect(second.traces.map((t: { traceId: string }) => t.traceId)).to.deep.equal([ids.alpha]);
    expect(second.next).to.equal(null);
  });

  it('opens a trace: spans in start order with parents, kinds, status, attributes; 404 for an unknown one', async () => {
    const { status, body } = await getJson(`${viewer.uiUrl}/api/traces/${ids.beta.toUpperCase()}`);
    expect(status).to.equal(200);
    expect(body.traceId).to.equal(ids.beta);
    // The trace's totals as the list has them, and nothing left out (trace-bound.test.ts has the bounds).
    const listed = (await getJson(`${viewer.uiUrl}/api/traces?service=svc-b`)).body.traces[0];
    expect([body.summary, body.truncated]).to.deep.equal([listed, false]);
    expect(body.spans.map((s: any) => [s.name, s.parentSpanId, s.oiKind, s.spanKind, s.status.code])).to.deep.equal([
      ['beta', null, null, 'INTERNAL', 'UNSET'],
      ['search tool', '0000000000000b01', 'TOOL', 'INTERNAL', 'ERROR'],
    ]);
    expect(body.spans[1].status.message).to.equal('tool failed');
    expect(body.spans[1].attributes['output.value']).to.equal('the needle "quoted"\nsecond line');
    expect(body.spans[1]).to.include({ startMs: base + 2001, durationMs: 1, service: 'svc-b' });
    expect(body.spans[1].scope).to.deep.equal({ name: 'hand-made', version: '0.0.1' });
    expect((await getJson(`${viewer.uiUrl}/api/traces/${'f'.repeat(32)}`)).status).to.equal(404);
    expect((await getJson(`${viewer.uiUrl}/api/traces/not-an-id`)).status).to.equal(404);
  });

  it('gives the facets', async () => {
    expect((await getJson(`${viewer.uiUrl}/api/facets`)).body).to.deep.equal({
      services: ['svc-a', 'svc-b'],
      models: ['model-1'],
      kinds: ['LLM', 'RETRIEVER', 'TOOL'],
    });
  });

  it('tells the UI about new traces over SSE', async () => {
    const controller = new AbortController();
    const res = await fetch(`${viewer.uiUrl}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).to.equal('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const id = traceId('4');
    await send('svc-c', [{ traceId: id, spanId: '0000000000000d01', name: 'live', startMs: Date.now() }]);
    await eventually(async () => {
      const { value } = await reader.read();
      text += Buffer.from(value ?? []).toString();
      return text.includes('event: traces') && text.includes('\n\n', text.indexOf('event: traces')) ? true : undefined;
    });
    controller.abort();
    const data = /event: traces\ndata: (.*)\n\n/.exec(text)![1];
    expect(JSON.parse(data)).to.deep.equal({ traceIds: [id] });
  });

  it('serves the UI with the CSP, never a file outside ui/, and refuses foreign Host headers', async () => {
    const page = await fetch(`${viewer.uiUrl}/`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).to.contain("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'");
    expect((await fetch(`${viewer.uiUrl}/api/facets`)).headers.get('content-security-policy')).to.contain("script-src 'self'");
    for (const path of ['/ui/../cli.ts', '/ui/%2e%2e/cli.ts', '/ui/..%2fcli.ts', '/ui/%2e%2e%2f%2e%2e%2fpackage.json', '/ui/..\\cli.ts', '/ui/', '/ui/%00', '/../package.json', '/etc/passwd']) {
      expect([path, (await raw(viewer.uiUrl, path)).status]).to.deep.equal([path, 404]);
    }
    expect((await raw(viewer.uiUrl, '/api/facets', { host: 'attacker.example:80' })).status).to.equal(403);
    expect((await raw(viewer.uiUrl, '/api/facets', { host: 'localhost' })).status).to.equal(200);
    expect((await fetch(`${viewer.uiUrl}/api/traces`, { method: 'POST' })).status).to.equal(405);
    expect(await (await fetch(viewer.receiverUrl.replace('/v1/traces', '/'))).json()).to.deep.equal({ viewer: 'infinium', ui: viewer.uiUrl });
    expect((await getJson(`${viewer.uiUrl}/api/about`)).body).to.deep.equal({ otlpHttp: new URL(viewer.receiverUrl).origin, otlpGrpc: null });
  });

  it('relays every export, as received, to --forward URL/v1/traces; a failing collector never holds ingest', async () => {
    const relayed = collector.received;
    const before = relayed.length;
    const provider = appTracing(exporterFor('http/json', viewer.receiverUrl, 'gzip'), 'forwarded-app');
    provider.getTracer('t').startSpan('relayed span').end();
    await provider.shutdown();
    const got = await eventually(async () => relayed.slice(before).find((r) => r.headers['content-type'] === 'application/json'));
    expect(got.url).to.equal('/v1/traces');
    expect(got.headers['content-encoding']).to.equal('gzip');
    const request = JSON.parse(zlib.gunzipSync(got.body).toString());
    expect(request.resourceSpans[0].scopeSpans[0].spans[0].name).to.equal('relayed span');
    collector.status = 503;
    for (let i = 0; i < 3; i++) {
      const spans = [{ traceId: traceId('8'), spanId: '0000000000000e01', name: 'while the collector fails', startMs: Date.now() }];
      expect((await post(viewer.receiverUrl, JSON.stringify(jsonRequest('forwarded-app', spans)), { 'content-type': 'application/json' })).status).to.equal(200);
    }
    await eventually(async () => (relayed.length >= before + 4 ? true : undefined));
    // Warned once for the outage, not per export (test/viewer/forward.test.ts has the rest).
    await eventually(async () => (viewer.output().includes('failing (') ? true : undefined));
    expect(viewer.output().match(/forwarding to http:\/\/127\.0\.0\.1:\d+\/v1\/traces failing \(HTTP 503\)/g)).to.have.length(1);
    expect(await list('service=forwarded-app')).to.have.length(4);
  });
});

/** A GET with the path exactly as given (fetch would normalise `..`). */
function raw(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    http
      .get({ host: url.hostname, port: url.port, path, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode! }));
      })
      .on('error', reject);
  });
}
