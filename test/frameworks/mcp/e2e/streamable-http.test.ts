import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToNanoseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { createTracing, useInstrumentation } from '../../../helpers/tracing';
import { HttpPair, startHttpPair } from './fixtures/http-pair';
import { expectChildOf, fromReadable, only, PROTOCOL_VERSION, requestSpans, SpanView, useW3CPropagation } from './fixtures/mcp-e2e';

/**
 * Issue 23 over Streamable HTTP, client and server in this process on a real node:http server and fetch:
 * one CLIENT and one SERVER span per request, the server's parent taken from `params._meta`. With
 * @opentelemetry/instrumentation-http loaded the request also has an HTTP SERVER span: the MCP server span
 * keeps the client's parent and links the HTTP span, and the tool handler's spans stay under the MCP span.
 */
const HTTP_SCOPE = '@opentelemetry/instrumentation-http';

describe('MCP over Streamable HTTP (node:http server, fetch client)', function () {
  this.timeout(30_000);
  const tracing = createTracing();
  useW3CPropagation();
  before(() => useInstrumentation(tracing));
  beforeEach(() => tracing.reset());

  /** initialize, then tools/call `context` (it reports the handler's active span), under a root span `agent`. */
  async function callOverHttp(stateless = false): Promise<{ pair: HttpPair; raw: ReadableSpan[]; spans: SpanView[]; agent: SpanView; seen: { activeSpanId: string } }> {
    const pair = await startHttpPair({ stateless });
    let text = '';
    try {
      await tracing.inParent('agent', async () => {
        await pair.client.connect(pair.clientTransport);
        const res = (await pair.client.callTool({ name: 'context' })) as { content: Array<{ text: string }> };
        text = res.content[0].text;
      });
    } finally {
      await pair.close();
    }
    const raw = await tracing.spans();
    // Which process made a span is told by its kind here: both sides share the pipeline.
    const spans = raw.map((s) => fromReadable(s, s.kind === 1 ? 'server' : 'client'));
    return { pair, raw, spans, agent: spans.find((s) => s.name === 'agent')!, seen: JSON.parse(text) };
  }

  function expectRequestPairs(spans: SpanView[], agent: SpanView, sessionId: string | undefined, port: number): { client: SpanView; server: SpanView } {
    // Exactly one client and one server span per request: initialize and tools/call.
    expect(requestSpans(spans).map((s) => `${s.kind} ${s.name}`)).to.have.members(['CLIENT initialize', 'SERVER initialize', 'CLIENT tools/call context', 'SERVER tools/call context']);
    const init = [only(spans, 'initialize', 'CLIENT'), only(spans, 'initialize', 'SERVER')];
    expect(init[0].parentSpanId).to.equal(agent.spanId);
    expectChildOf(init[1], init[0]);
    const client = only(spans, 'tools/call', 'CLIENT');
    const server = only(spans, 'tools/call', 'SERVER');
    expect(client.parentSpanId).to.equal(agent.spanId);
    expectChildOf(server, client);
    for (const span of [client, server]) {
      expect(span.status.code).to.equal(SpanStatusCode.UNSET);
      expect(span.attributes['mcp.method.name']).to.equal('tools/call');
      expect(span.attributes['gen_ai.tool.name']).to.equal('context');
      expect(span.attributes['gen_ai.operation.name']).to.equal('execute_tool');
      expect(span.attributes['jsonrpc.request.id']).to.equal('1');
      expect(span.attributes['mcp.session.id']).to.equal(sessionId);
      expect(span.attributes['mcp.protocol.version']).to.equal(PROTOCOL_VERSION);
      expect(span.attributes['network.transport']).to.equal('tcp');
      expect(span.attributes['network.protocol.name']).to.equal('http');
      expect(span.attributes['openinference.span.kind']).to.equal('TOOL');
    }
    expect(client.attributes['server.address']).to.equal('127.0.0.1');
    expect(client.attributes['server.port']).to.equal(port);
    return { client, server };
  }

  it('without an HTTP instrumentation: one trace, exact pairs, session id on both sides, no link', async () => {
    const { pair, spans, agent, seen } = await callOverHttp();
    const sessionId = pair.clientTransport.sessionId!;
    expect(sessionId).to.match(/^[0-9a-f-]{36}$/);
    const { server } = expectRequestPairs(spans, agent, sessionId, pair.port);
    expect(spans.filter((s) => s.scope === HTTP_SCOPE)).to.deep.equal([]);
    // Nothing ambient to link: the HTTP server's requests run outside any span.
    expect(server.links).to.deep.equal([]);
    expect(seen.activeSpanId).to.equal(server.spanId);
  });

  it('a stateless server (a new McpServer per POST): the same pairs, no session id, the version from the request header', async () => {
    const { pair, spans, agent, seen } = await callOverHttp(true);
    expect(pair.clientTransport.sessionId).to.equal(undefined);
    const { server } = expectRequestPairs(spans, agent, undefined, pair.port);
    expect(seen.activeSpanId).to.equal(server.spanId);
  });

  describe('with @opentelemetry/instrumentation-http loaded', () => {
    let http: HttpInstrumentation;
    before(() => {
      const { HttpInstrumentation: Instrumentation } = require('@opentelemetry/instrumentation-http');
      http = new Instrumentation();
      http.setTracerProvider(tracing.provider);
      http.enable();
    });
    after(() => http.disable());

    it('the MCP server span keeps the client as its parent and links the HTTP server span of its POST', async () => {
      const { pair, raw, spans, agent, seen } = await callOverHttp();
      const { server } = expectRequestPairs(spans, agent, pair.clientTransport.sessionId!, pair.port);
      const httpServerSpans = raw.filter((s) => s.instrumentationScope.name === HTTP_SCOPE && s.kind === 1);
      expect(httpServerSpans.length, 'HTTP server spans').to.be.greaterThan(0);
      // The link is to the HTTP span of the POST that carried tools/call: the one whose time holds the MCP span's start.
      const mcpStart = hrTimeToNanoseconds(raw.find((s) => s.spanContext().spanId === server.spanId)!.startTime);
      const carrying = httpServerSpans.filter(
        (s) => s.attributes['http.request.method'] === 'POST' && hrTimeToNanoseconds(s.startTime) <= mcpStart && mcpStart <= hrTimeToNanoseconds(s.endTime),
      );
      expect(carrying, 'the POST carrying tools/call').to.have.length(1);
      expect(server.links.map((l) => [l.traceId, l.spanId])).to.deep.equal([[carrying[0].spanContext().traceId, carrying[0].spanContext().spanId]]);
      // Each server span links its own POST; none of them is parented by the HTTP span.
      const init = only(spans, 'initialize', 'SERVER');
      expect(init.links).to.have.length(1);
      expect(init.links[0].spanId).to.not.equal(server.links[0].spanId);
      for (const s of [server, init]) expect(httpServerSpans.map((h) => h.spanContext().spanId)).to.not.include(s.parentSpanId);
      // The tool handler runs under the MCP server span, not under the HTTP span.
      expect(seen.activeSpanId).to.equal(server.spanId);
    });
  });
});
