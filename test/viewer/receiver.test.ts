import { expect } from 'chai';
import http2 from 'node:http2';
import zlib from 'node:zlib';
import { agentTurn, appTracing, exporterFor } from './otel-app';
import type { Protocol } from './otel-app';
import { deepRequest, eventually, getJson, grpcCall, jsonRequest, post, protobufRequest, responseType, statusType, traceId } from './otlp-requests';
import type { ViewerProcess } from './viewer-process';
import { startViewerProcess } from './viewer-process';

/**
 * The OTLP receivers as apps reach them: the real OTLP exporters (http/protobuf, http/json, grpc, with and
 * without gzip) through a BatchSpanProcessor, then the API's summary of each trace, exact.
 */
describe('viewer: OTLP receivers with the real exporters', function () {
  this.timeout(60_000);
  let viewer: ViewerProcess;

  before(async () => {
    viewer = await startViewerProcess();
  });
  after(async () => {
    expect(await viewer.stop()).to.equal(0);
    // node:sqlite's ExperimentalWarning is filtered (that one only).
    expect(viewer.output()).not.to.match(/ExperimentalWarning|SQLite is an experimental/);
  });

  const cases: Array<[Protocol, 'gzip' | undefined]> = [
    ['http/protobuf', undefined],
    ['http/protobuf', 'gzip'],
    ['http/json', undefined],
    ['http/json', 'gzip'],
    ['grpc', undefined],
    ['grpc', 'gzip'],
  ];
  for (const [protocol, compression] of cases) {
    it(`receives ${protocol}${compression ? ' (gzip)' : ''}: the agent turn listed with its exact summary`, async () => {
      const url = protocol === 'grpc' ? `http://${viewer.grpcAddress}` : viewer.receiverUrl;
      const service = `app-${protocol.replace('/', '-')}-${compression ?? 'plain'}`;
      const provider = appTracing(exporterFor(protocol, url, compression), service);
      const id = agentTurn(provider, { fail: compression === 'gzip' });
      await provider.forceFlush();
      await provider.shutdown();
      const { body } = await getJson(`${viewer.uiUrl}/api/traces?service=${service}`);
      expect(body.traces).to.have.length(1);
      const [summary] = body.traces;
      expect(summary).to.include({
        traceId: id,
        rootName: 'agent turn',
        service,
        status: compression === 'gzip' ? 'ERROR' : 'OK',
        spanCount: 5,
        // The GenAI span under the LLM span is the same call: two calls, not three.
        llmCount: 2,
        promptTokens: 320,
        completionTokens: 80,
        totalTokens: 400,
        costUsd: 0.000036,
      });
      expect(summary.models).to.deep.equal(['claude-sonnet-4', 'gpt-4o-mini']);
      expect(summary.kinds).to.deep.equal(['AGENT', 'LLM', 'TOOL']);
      const trace = (await getJson(`${viewer.uiUrl}/api/traces/${id}`)).body;
      const byName = Object.fromEntries(trace.spans.map((s: any) => [s.name, s]));
      const root = byName['agent turn'];
      expect(root.parentSpanId).to.equal(null);
      expect(byName.ChatCompletion.parentSpanId).to.equal(root.spanId);
      expect(byName['anthropic.messages.create'].parentSpanId).to.equal(byName.ChatCompletion.spanId);
      expect(byName['anthropic.messages.create'].oiKind).to.equal('LLM');
      expect(byName.get_weather).to.deep.include({ oiKind: 'TOOL', spanKind: 'CLIENT', service });
      expect(byName.get_weather.attributes).to.deep.equal({
        'openinference.span.kind': 'TOOL',
        'tool.name': 'get_weather',
        'input.value': '{"city":"Paris"}',
        'output.value': 'sunny, 21°C',
      });
      expect(byName['chat claude-sonnet-4'].attributes['app.list']).to.deep.equal([1, 2, 3]);
      expect(root.scope).to.deep.equal({ name: 'viewer-test', version: '1.2.3' });
      expect(root.resource['service.name']).to.equal(service);
      expect(root.status).to.deep.equal({ code: 'OK', message: null });
      if (compression === 'gzip') {
        const failed = byName['chat claude-sonnet-4'];
        expect(failed.status).to.deep.equal({ code: 'ERROR', message: 'rate limited' });
        expect(failed.events.map((e: any) => e.name)).to.deep.equal(['exception']);
        expect(failed.events[0].attributes['exception.message']).to.equal('rate limited');
      }
    });
  }

  it('stores an exporter retry once (same spans twice: same counts)', async () => {
    const id = traceId('b');
    const request = jsonRequest('retry-app', [
      { traceId: id, spanId: '00000000000000a1', name: 'root', startMs: Date.now(), attributes: [] },
      {
        traceId: id,
        spanId: '00000000000000a2',
        parentSpanId: '00000000000000a1',
        name: 'llm',
        startMs: Date.now(),
        attributes: [
          { key: 'openinference.span.kind', value: { stringValue: 'LLM' } },
          { key: 'llm.token_count.prompt', value: { intValue: '7' } },
          { key: 'llm.cost.total', value: { doubleValue: 0.1 } },
        ],
      },
    ]);
    for (let i = 0; i < 2; i++) {
      expect((await post(viewer.receiverUrl, JSON.stringify(request), { 'content-type': 'application/json' })).status).to.equal(200);
    }
    const { body } = await getJson(`${viewer.uiUrl}/api/traces?service=retry-app`);
    expect(body.traces[0]).to.include({ spanCount: 2, llmCount: 1, promptTokens: 7, totalTokens: 7, costUsd: 0.1 });
  });

  it('answers partial success, in the request format, for spans with invalid ids', async () => {
    const id = traceId('c');
    const request = jsonRequest('partial-app', [
      { traceId: id, spanId: '00000000000000b1', name: 'kept', startMs: Date.now() },
      { traceId: '00000000000000000000000000000000', spanId: '00000000000000b2', name: 'zero trace id', startMs: Date.now() },
      { traceId: id, spanId: 'abc', name: 'short span id', startMs: Date.now() },
    ]);
    const json = await post(viewer.receiverUrl, JSON.stringify(request), { 'content-type': 'application/json' });
    expect(json.status).to.equal(200);
    expect(json.headers['content-type']).to.equal('application/json');
    const answer = JSON.parse(json.body.toString());
    expect(answer.partialSuccess.rejectedSpans).to.equal('2');
    expect(answer.partialSuccess.errorMessage).to.match(/2 span\(s\) rejected/);
    const binary = await post(viewer.receiverUrl, protobufRequest(request), { 'content-type': 'application/x-protobuf' });
    expect(binary.status).to.equal(200);
    expect(binary.headers['content-type']).to.equal('application/x-protobuf');
    const decoded = responseType.toObject(responseType.decode(binary.body), { longs: String }) as any;
    expect(decoded.partialSuccess.rejectedSpans).to.equal('2');
    const { body } = await getJson(`${viewer.uiUrl}/api/traces?service=partial-app`);
    expect(body.traces.map((t: any) => [t.traceId, t.spanCount])).to.deep.equal([[id, 1]]);
  });

  it('answers an empty ExportTraceServiceResponse (no partial_success) when all spans were kept', async () => {
    const request = jsonRequest('full-app', [{ traceId: traceId('d'), spanId: '00000000000000c1', name: 'ok', startMs: Date.now() }]);
    const reply = await post(viewer.receiverUrl, JSON.stringify(request), { 'content-type': 'application/json; charset=utf-8' });
    expect([reply.status, reply.body.toString()]).to.deep.equal([200, '{}']);
    const binary = await post(viewer.receiverUrl, protobufRequest(request), { 'content-type': 'application/protobuf' });
    expect([binary.status, binary.body.length]).to.deep.equal([200, 0]);
  });

  it('refuses with the OTLP status codes: 400 malformed or truncated, 413 too large, 415 unknown type or encoding', async () => {
    const url = viewer.receiverUrl;
    const valid = protobufRequest(jsonRequest('x', [{ traceId: traceId('e'), spanId: '00000000000000d1', name: 'x', startMs: Date.now() }]));
    const cases: Array<[string, Buffer | string, Record<string, string>, number]> = [
      ['garbage protobuf', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'content-type': 'application/x-protobuf' }, 400],
      ['truncated protobuf', valid.subarray(0, valid.length - 3), { 'content-type': 'application/x-protobuf' }, 400],
      ['truncated gzip', zlib.gzipSync(valid).subarray(0, 20), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, 400],
      ['invalid JSON', '{"resourceSpans": [', { 'content-type': 'application/json' }, 400],
      ['JSON not an object', '[1,2]', { 'content-type': 'application/json' }, 400],
      ['deep JSON', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, { 'content-type': 'application/json' }, 400],
      ['text/plain', 'hello', { 'content-type': 'text/plain' }, 415],
      ['brotli', valid, { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' }, 415],
      ['over 20 MiB', Buffer.alloc(21 * 1024 * 1024), { 'content-type': 'application/x-protobuf' }, 413],
      ['gzip bomb', zlib.gzipSync(Buffer.alloc(21 * 1024 * 1024)), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, 413],
    ];
    for (const [label, body, headers, status] of cases) {
      const reply = await post(url, body, headers);
      expect([label, reply.status]).to.deep.equal([label, status]);
      if (status === 400 && headers['content-type'] === 'application/x-protobuf') {
        // The body of an error answer is a google.rpc.Status.
        expect((statusType.decode(reply.body) as any).code).to.equal(3);
      }
    }
    expect((await post(url.replace('/v1/traces', '/v1/metrics'), valid, { 'content-type': 'application/x-protobuf' })).status).to.equal(404);
    expect((await fetch(url)).status).to.equal(405);
    // Still serving.
    expect((await post(url, valid, { 'content-type': 'application/x-protobuf' })).status).to.equal(200);
  });

  it('answers gRPC errors as trailers: INVALID_ARGUMENT for a malformed message, UNIMPLEMENTED for another method', async () => {
    const session = http2.connect(`http://${viewer.grpcAddress}`);
    const call = (path: string, message: Buffer): Promise<string | undefined> => grpcCall(session, path, message);
    try {
      const path = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
      expect(await call(path, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]))).to.equal('3');
      expect(await call('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', Buffer.alloc(0))).to.equal('12');
      const valid = protobufRequest(jsonRequest('grpc-raw', [{ traceId: traceId('a'), spanId: '00000000000000f1', name: 'raw', startMs: Date.now() }]));
      expect(await call(path, valid)).to.equal('0');
    } finally {
      session.close();
    }
  });

  it('survives deeply nested protobuf values and caps huge ones, saying so', async () => {
    // Past protobuf's usual recursion limit (100 messages): malformed.
    const tooDeep = await post(viewer.receiverUrl, deepRequest(traceId('f'), 5_000), { 'content-type': 'application/x-protobuf' });
    expect([tooDeep.status, String((statusType.decode(tooDeep.body) as any).message)]).to.deep.equal([
      400,
      'invalid protobuf ExportTraceServiceRequest: maximum nesting depth exceeded',
    ]);
    // Within it but past the viewer's 32 levels: stored, the deep end replaced by a note.
    const deepId = traceId('f');
    expect((await post(viewer.receiverUrl, deepRequest(deepId, 40), { 'content-type': 'application/x-protobuf' })).status).to.equal(200);
    let stored: any = (await getJson(`${viewer.uiUrl}/api/traces/${deepId}`)).body.spans[0].attributes.deep;
    let depth = 0;
    while (Array.isArray(stored)) [stored, depth] = [stored[0], depth + 1];
    expect([depth, stored]).to.deep.equal([32, '[nested deeper than 32 levels: dropped by the viewer]']);
    const hugeId = traceId('f');
    const huge = 'x'.repeat(1024 * 1024);
    const request = jsonRequest('huge-app', [
      {
        traceId: hugeId,
        spanId: '00000000000000e2',
        name: 'huge',
        startMs: Date.now(),
        attributes: [
          { key: 'output.value', value: { stringValue: huge } },
          { key: 'big.int', value: { intValue: '9007199254740993' } },
          { key: 'bytes', value: { bytesValue: Buffer.from('hi').toString('base64') } },
          { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } },
          { key: '__proto__', value: { stringValue: 'data, not a prototype' } },
        ],
      },
    ]);
    expect((await post(viewer.receiverUrl, protobufRequest(request), { 'content-type': 'application/x-protobuf' })).status).to.equal(200);
    const span = (await getJson(`${viewer.uiUrl}/api/traces/${hugeId}`)).body.spans[0];
    expect(span.attributes['output.value']).to.have.length.below(300 * 1024);
    expect(span.attributes['output.value']).to.match(/… \[truncated by the viewer: 786432 more characters\]$/);
    expect(span.attributes['big.int']).to.equal('9007199254740993');
    expect(span.attributes.bytes).to.equal('aGk=');
    expect(span.attributes.kv).to.deep.equal({ a: true });
    expect(Object.getOwnPropertyDescriptor(span.attributes, '__proto__')?.value).to.equal('data, not a prototype');
  });

  it('keeps serving under a flood: every request answered 200, 429 or 503, and the API still answers', async () => {
    const bodies = Array.from({ length: 300 }, (_, i) =>
      protobufRequest(
        jsonRequest('flood-app', Array.from({ length: 50 }, (_, j) => ({ traceId: traceId('9'), spanId: `${(i * 100 + j + 1).toString(16).padStart(16, '0')}`, name: 'f', startMs: Date.now() }))),
      ),
    );
    const replies = await Promise.all(bodies.map((body) => post(viewer.receiverUrl, body, { 'content-type': 'application/x-protobuf' })));
    const statuses = new Set(replies.map((r) => r.status));
    expect([...statuses].every((s) => s === 200 || s === 429 || s === 503)).to.equal(true);
    expect(statuses.has(200)).to.equal(true);
    for (const r of replies.filter((reply) => reply.status !== 200)) expect(r.headers['retry-after']).to.equal('1');
    const listed = await eventually(async () => {
      const { status, body } = await getJson(`${viewer.uiUrl}/api/traces?service=flood-app&limit=500`);
      return status === 200 ? body.traces.length : undefined;
    });
    expect(listed).to.equal(Math.min(500, replies.filter((r) => r.status === 200).length * 50));
  });
});

