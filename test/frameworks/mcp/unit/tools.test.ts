import { expect } from 'chai';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { connectPair, mcpSpans, sidesOf, useMcpHarness, WEATHER_DESCRIPTION, weatherServer } from './harness';

/** In-process pairs (Client + McpServer over InMemoryTransport): the shape of the trace and tools/call. */
describe('MCP in process: requests and tools/call', () => {
  const harness = useMcpHarness();
  const { tracing } = harness;

  const PROTOCOL_VERSION = '2025-11-25';

  function parentOf(span: ReadableSpan): string | undefined {
    return span.parentSpanContext?.spanId;
  }

  function expectPair(pair: { client: ReadableSpan; server: ReadableSpan }, parent: ReadableSpan): void {
    expect(pair.client.kind).to.equal(SpanKind.CLIENT);
    expect(pair.server.kind).to.equal(SpanKind.SERVER);
    expect(parentOf(pair.client)).to.equal(parent.spanContext().spanId);
    expect(parentOf(pair.server)).to.equal(pair.client.spanContext().spanId);
    expect(pair.server.spanContext().traceId).to.equal(parent.spanContext().traceId);
    // In process the request arrives inside the client span itself: nothing else to link.
    expect(pair.server.links).to.deep.equal([]);
  }

  it('gives every request one CLIENT span under the app span and one SERVER span under it; notifications none', async () => {
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      await pair.client.listTools();
      await pair.client.callTool({ name: 'get_weather', arguments: { city: 'Paris' } });
      await pair.client.ping();
      await pair.close();
    });
    const spans = await tracing.spans();
    const agent = spans.find((s) => s.name === 'agent')!;
    expect(mcpSpans(spans).map((s) => `${s.name} ${SpanKind[s.kind]}`).sort()).to.deep.equal([
      'initialize CLIENT', 'initialize SERVER', 'ping CLIENT', 'ping SERVER', 'tools/call get_weather CLIENT', 'tools/call get_weather SERVER',
      'tools/list CLIENT', 'tools/list SERVER',
    ]);
    for (const name of ['initialize', 'tools/list', 'tools/call get_weather', 'ping']) expectPair(sidesOf(spans, name), agent);
    const ids = ['initialize', 'tools/list', 'tools/call get_weather', 'ping'].map((name) => sidesOf(spans, name).client.attributes['jsonrpc.request.id']);
    expect(ids).to.deep.equal(['0', '1', '2', '3']);
  });

  it('tools/call: the MCP keys and OpenInference TOOL on both sides, exactly', async () => {
    let result: unknown;
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      await pair.client.listTools();
      result = await pair.client.callTool({ name: 'get_weather', arguments: { city: 'Paris' } });
      await pair.close();
    });
    expect(result).to.deep.equal({ content: [{ type: 'text', text: 'Sunny in Paris' }] });
    const { client, server } = sidesOf(await tracing.spans(), 'tools/call get_weather');
    const expected = {
      'openinference.span.kind': 'TOOL',
      'tool.name': 'get_weather',
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'tool.description': WEATHER_DESCRIPTION,
      'output.value': '{"content":[{"type":"text","text":"Sunny in Paris"}]}',
      'output.mime_type': 'application/json',
      'input.value': '{"city":"Paris"}',
      'input.mime_type': 'application/json',
      'jsonrpc.request.id': '2',
      'mcp.protocol.version': PROTOCOL_VERSION,
    };
    for (const span of [client, server]) {
      expect(span.attributes).to.deep.equal(expected);
      expect(span.status).to.deep.equal({ code: SpanStatusCode.UNSET });
      expect(span.events).to.deep.equal([]);
    }
  });

  it("never writes the app's request: params and _meta stay as they were, the server still gets the app's _meta", async () => {
    let seenMeta: unknown;
    const server = weatherServer();
    server.registerTool('echo_meta', { description: 'echo' }, async (extra) => {
      seenMeta = extra._meta;
      return { content: [] };
    });
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(server);
      const meta = Object.freeze({ app: 'mine' });
      const params = Object.freeze({ name: 'echo_meta', arguments: Object.freeze({}), _meta: meta });
      await pair.client.callTool(params);
      expect(params).to.deep.equal({ name: 'echo_meta', arguments: {}, _meta: { app: 'mine' } });
      await pair.close();
    });
    const { client } = sidesOf(await tracing.spans(), 'tools/call echo_meta');
    const { traceId, spanId } = client.spanContext();
    expect(seenMeta).to.deep.equal({ app: 'mine', traceparent: `00-${traceId}-${spanId}-01` });
  });

  it('carries tracestate and baggage too: the SERVER span keeps the trace state, the handler sees the baggage', async () => {
    let seenMeta: unknown;
    let seenBaggage: unknown;
    const server = weatherServer();
    server.registerTool('who', { description: 'who asks' }, async (extra) => {
      seenMeta = extra._meta;
      seenBaggage = propagation.getBaggage(context.active())?.getEntry('user.id')?.value;
      return { content: [] };
    });
    const pair = await connectPair(server);
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true,
      traceState: new TraceState('rojo=00f067aa0ba902b7'),
    });
    const parent = propagation.setBaggage(remote, propagation.createBaggage({ 'user.id': { value: 'u-7' } }));
    await context.with(parent, () => pair.client.callTool({ name: 'who' }));
    await pair.close();
    const { client, server: handled } = sidesOf(await tracing.spans(), 'tools/call who');
    expect(seenMeta).to.deep.equal({
      traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${client.spanContext().spanId}-01`, tracestate: 'rojo=00f067aa0ba902b7', baggage: 'user.id=u-7',
    });
    expect(seenBaggage).to.equal('u-7');
    expect(handled.spanContext().traceState?.serialize()).to.equal('rojo=00f067aa0ba902b7');
    expect(parentOf(handled)).to.equal(client.spanContext().spanId);
  });

  it("makes the tool handler's own spans children of the SERVER span", async () => {
    const tracer = tracing.provider.getTracer('app');
    const server = weatherServer(() => tracer.startSpan('inside the tool').end());
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(server);
      await pair.client.callTool({ name: 'get_weather', arguments: { city: 'Paris' } });
      await pair.close();
    });
    const spans = await tracing.spans();
    const inner = spans.find((s) => s.name === 'inside the tool')!;
    expect(parentOf(inner)).to.equal(sidesOf(spans, 'tools/call get_weather').server.spanContext().spanId);
  });

  it('a tool result with isError: ERROR and error.type tool_error on both sides, the app gets the result as it is', async () => {
    let result: unknown;
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      result = await pair.client.callTool({ name: 'get_weather', arguments: { city: 'Atlantis' } });
      await pair.close();
    });
    const output = { content: [{ type: 'text', text: 'no such city: Atlantis' }], isError: true };
    expect(result).to.deep.equal(output);
    const { client, server } = sidesOf(await tracing.spans(), 'tools/call get_weather');
    for (const span of [client, server]) {
      expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR });
      expect(span.attributes['error.type']).to.equal('tool_error');
      expect(span.attributes['output.value']).to.equal(JSON.stringify(output));
      // Not known before the client listed the tools.
      expect(span.attributes['tool.description']).to.equal(undefined);
      expect(span.events).to.deep.equal([]);
    }
  });

  it('concurrent calls: each SERVER span under its own CLIENT span, matched by the JSON-RPC id', async () => {
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      await Promise.all(['Oslo', 'Rome', 'Lima'].map((city) => pair.client.callTool({ name: 'get_weather', arguments: { city } })));
      await pair.close();
    });
    const calls = mcpSpans(await tracing.spans()).filter((s) => s.name === 'tools/call get_weather');
    const clients = calls.filter((s) => s.kind === SpanKind.CLIENT);
    const pairs = clients.map((client) => {
      const server = calls.find((s) => s.kind === SpanKind.SERVER && s.attributes['jsonrpc.request.id'] === client.attributes['jsonrpc.request.id'])!;
      return [client.attributes['jsonrpc.request.id'], client.attributes['input.value'], server.attributes['input.value'], parentOf(server) === client.spanContext().spanId];
    });
    expect(pairs.sort()).to.deep.equal([
      ['1', '{"city":"Oslo"}', '{"city":"Oslo"}', true],
      ['2', '{"city":"Rome"}', '{"city":"Rome"}', true],
      ['3', '{"city":"Lima"}', '{"city":"Lima"}', true],
    ]);
  });

  it('a request outside any span is a root CLIENT span; its SERVER span is still its child', async () => {
    const pair = await connectPair(weatherServer());
    await pair.client.callTool({ name: 'get_weather', arguments: { city: 'Oslo' } });
    await pair.close();
    const { client, server } = sidesOf(await tracing.spans(), 'tools/call get_weather');
    expect(client.parentSpanContext).to.equal(undefined);
    expect(parentOf(server)).to.equal(client.spanContext().spanId);
    expect(trace.getActiveSpan()).to.equal(undefined);
  });
});
