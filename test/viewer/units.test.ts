import { expect } from 'chai';
import path from 'node:path';
import { Forwarder } from '../../lib/viewer/forward';
import { IngestQueue } from '../../lib/viewer/ingest';
import type { ReceivedSpan } from '../../lib/viewer/model';
import { decodeJson, jsonDeeperThan } from '../../lib/viewer/otlp-decode';
import { UsageError, parseViewerArgs } from '../../lib/viewer/options';
import { formatOf } from '../../lib/viewer/receiver';
import { isLoopback } from '../../lib/viewer/server';
import { resolveUiFile } from '../../lib/viewer/static';
import type { TraceStore } from '../../lib/viewer/store';
import { oiKindOf } from '../../lib/viewer/summaries';
import type { TraceRow } from '../../lib/viewer/trace-row';
import { countCall } from '../../lib/viewer/trace-row';
import { jsonRequest } from './otlp-requests';

/** The viewer's pieces that need no store (these run in-process, under any Node). */
describe('viewer: units', () => {
  it('reads the flags, with the contract defaults, and refuses bad ones', () => {
    const home = process.env.INFINIUM_VIEWER_DATA;
    process.env.INFINIUM_VIEWER_DATA = '/tmp/viewer-data-from-env';
    try {
      expect(parseViewerArgs([])).to.deep.equal({
        host: '127.0.0.1',
        port: 4318,
        uiPort: 4320,
        grpcPort: 4317,
        dataDir: '/tmp/viewer-data-from-env',
        retentionHours: 168,
        maxSizeMb: 1024,
        forward: null,
        forwardHeaders: {},
      });
    } finally {
      if (home === undefined) delete process.env.INFINIUM_VIEWER_DATA;
      else process.env.INFINIUM_VIEWER_DATA = home;
    }
    expect(parseViewerArgs(['--grpc-port', 'off', '--port', '0', '--data', 'rel', '--forward', 'http://c:4318'])).to.deep.include({
      grpcPort: null,
      port: 0,
      dataDir: path.resolve('rel'),
      forward: 'http://c:4318',
    });
    expect(parseViewerArgs(['-h'])).to.equal(null);
    for (const args of [['--port', '70000'], ['--retention-hours', '0'], ['--forward', 'ftp://x'], ['--nope'], ['extra']]) {
      expect(() => parseViewerArgs(args), args.join(' ')).to.throw(UsageError);
    }
  });

  it('knows loopback from the rest (the warning)', () => {
    expect(['127.0.0.1', 'localhost', '::1', '127.0.0.2'].map(isLoopback)).to.deep.equal([true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.10'].map(isLoopback)).to.deep.equal([false, false, false]);
  });

  it('maps a URL path to a file inside ui/ only', () => {
    const root = '/srv/viewer/ui';
    expect(resolveUiFile(root, '/')).to.equal('/srv/viewer/ui/index.html');
    expect(resolveUiFile(root, '/ui/app.js')).to.equal('/srv/viewer/ui/app.js');
    expect(resolveUiFile(root, '/ui/a%20b.css')).to.equal('/srv/viewer/ui/a b.css');
    for (const bad of ['/ui/../cli.js', '/ui/%2e%2e/cli.js', '/ui/..%2f..%2fetc/passwd', '/ui/%2fetc/passwd', '/ui/a\\..\\b', '/ui/%00', '/ui/%E0%A4%A', '/cli.js', '/ui/']) {
      expect([bad, resolveUiFile(root, bad)]).to.deep.equal([bad, null]);
    }
  });

  it('tells content types apart and measures JSON depth outside strings', () => {
    expect(['application/x-protobuf', 'application/protobuf', 'application/json; charset=utf-8', 'Application/JSON', 'text/plain', undefined].map(formatOf)).to.deep.equal([
      'protobuf',
      'protobuf',
      'json',
      'json',
      null,
      null,
    ]);
    expect(jsonDeeperThan('[[[]]]', 3)).to.equal(false);
    expect(jsonDeeperThan('[[[[]]]]', 3)).to.equal(true);
    expect(jsonDeeperThan('["[[[[[[", "\\"[[[[["]', 3)).to.equal(false);
  });

  it('reads OTLP/JSON enums by name too', () => {
    const request = jsonRequest('s', [{ traceId: 'AB'.repeat(16), spanId: '01'.repeat(8), name: 'n', startMs: 1_700_000_000_000.5 }]) as any;
    const span = request.resourceSpans[0].scopeSpans[0].spans[0];
    span.kind = 'SPAN_KIND_CONSUMER';
    span.status = { code: 'STATUS_CODE_ERROR', message: 'm' };
    const decoded = decodeJson(Buffer.from(JSON.stringify(request)));
    expect(decoded.rejected).to.equal(0);
    expect(decoded.spans[0]).to.deep.include({ traceId: 'ab'.repeat(16), spanKind: 5, statusCode: 2, statusMessage: 'm', startMs: 1_700_000_000_000.5, parentSpanId: null });
  });

  it('derives OpenInference kinds from GenAI operations and Infinium keys', () => {
    expect(oiKindOf({ 'openinference.span.kind': 'retriever' })).to.equal('RETRIEVER');
    expect(
      ['chat', 'text_completion', 'generate_content', 'embeddings', 'execute_tool', 'invoke_agent', 'create_agent', 'invoke_workflow', 'retrieval', 'other'].map((op) =>
        oiKindOf({ 'gen_ai.operation.name': op }),
      ),
    ).to.deep.equal(['LLM', 'LLM', 'LLM', 'EMBEDDING', 'TOOL', 'AGENT', 'AGENT', 'CHAIN', 'RETRIEVER', null]);
    expect(oiKindOf({ 'llm.model': 'gpt-4o', 'llm.prompt_tokens': 3 })).to.equal('LLM');
    expect(oiKindOf({ 'http.method': 'GET' })).to.equal(null);
  });

  it('sums costs without float residue, and takes a duplicate call back', () => {
    const row = { llm_count: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: null, models: '' } as unknown as TraceRow;
    const call = { llm: 1 as const, promptTokens: 1, completionTokens: 2, totalTokens: 3, costUsd: 0.1, model: 'm' };
    countCall(row, call, 1);
    countCall(row, { ...call, costUsd: 0.2, model: 'n' }, 1);
    expect(row).to.deep.include({ llm_count: 2, total_tokens: 6, cost: 0.3, models: '|m|n|' });
    countCall(row, { ...call, llm: 2 }, -1);
    expect(row).to.deep.include({ llm_count: 1, prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, cost: 0.2 });
  });

  it('forwards to URL/v1/traces (kept when already given)', () => {
    const log = (): void => undefined;
    expect(new Forwarder('http://c:4318', { log }).target.href).to.equal('http://c:4318/v1/traces');
    expect(new Forwarder('https://c.example/otlp/', { log }).target.href).to.equal('https://c.example/otlp/v1/traces');
    expect(new Forwarder('http://c:4318/v1/traces', { log }).target.href).to.equal('http://c:4318/v1/traces');
  });
});

describe('viewer: the ingest queue', () => {
  const span = (id: number): ReceivedSpan => ({ spanId: String(id) }) as unknown as ReceivedSpan;
  const fakeStore = (fail = false) => {
    const writes: number[][] = [];
    const store = {
      ingest(requests: ReadonlyArray<readonly ReceivedSpan[]>): string[] {
        if (fail) throw new Error('disk full');
        writes.push(requests.map((r) => r.length));
        return ['t'];
      },
    } as unknown as TraceStore;
    return { store, writes };
  };

  it('writes the requests of one turn in one transaction, and refuses past its bound (the 429)', async () => {
    const { store, writes } = fakeStore();
    const stored: string[][] = [];
    const queue = new IngestQueue(store, { maxQueuedSpans: 5, onStored: (ids) => stored.push(ids) });
    const first = queue.submit([span(1), span(2), span(3)]);
    const second = queue.submit([span(4), span(5)]);
    expect(queue.full(1)).to.equal(true);
    await queue.submit([span(6)]).then(
      () => expect.fail('accepted past the bound'),
      (error: Error) => expect(error.message).to.equal('ingest queue full'),
    );
    await Promise.all([first, second]);
    expect(writes).to.deep.equal([[3, 2]]);
    expect(stored).to.deep.equal([['t']]);
    expect(queue.full(5)).to.equal(false);
    // A request larger than the bound is still taken when nothing waits (it could never fit otherwise).
    await queue.submit([1, 2, 3, 4, 5, 6, 7].map(span));
    expect(writes).to.deep.equal([[3, 2], [7]]);
  });

  it('fails the waiting requests when the store fails (the 503), and reports it', async () => {
    const errors: string[] = [];
    const queue = new IngestQueue(fakeStore(true).store, { maxQueuedSpans: 100, onError: (e) => errors.push(e.message) });
    const results = await Promise.allSettled([queue.submit([span(1)]), queue.submit([span(2)])]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    expect(errors).to.deep.equal(['disk full']);
  });
});
