import { expect } from 'chai';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { RejectionLog, settle } from '../../../helpers/rejections';
import { connectPair, loadMcp, mcpSpans, sidesOf, useMcpHarness, weatherServer } from './harness';

/** In-process pairs: resources, prompts, JSON-RPC errors, and the link to the context a request arrives in. */
describe('MCP in process: resources, prompts, errors, links', () => {
  const { tracing } = useMcpHarness();

  function common(id: string): Record<string, unknown> {
    return { 'jsonrpc.request.id': id, 'mcp.protocol.version': '2025-11-25' };
  }

  it('resources/read: RETRIEVER, the URI and each content a document, on both sides', async () => {
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      await pair.client.readResource({ uri: 'docs://guide' });
      await pair.close();
    });
    const { client, server } = sidesOf(await tracing.spans(), 'resources/read');
    for (const span of [client, server]) {
      expect(span.attributes).to.deep.equal({
        'openinference.span.kind': 'RETRIEVER',
        'mcp.method.name': 'resources/read',
        'mcp.resource.uri': 'docs://guide',
        'input.value': 'docs://guide',
        'input.mime_type': 'text/plain',
        'retrieval.documents.0.document.id': 'docs://guide',
        'retrieval.documents.0.document.content': '# Guide\nBring an umbrella.',
        'retrieval.documents.0.document.metadata': '{"mimeType":"text/markdown"}',
        ...common('1'),
      });
      expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    }
  });

  it('prompts/get: PROMPT named by the prompt, its arguments and messages, on both sides', async () => {
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      await pair.client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
      await pair.close();
    });
    const { client, server } = sidesOf(await tracing.spans(), 'prompts/get greet');
    for (const span of [client, server]) {
      expect(span.attributes).to.deep.equal({
        'openinference.span.kind': 'PROMPT',
        'mcp.method.name': 'prompts/get',
        'gen_ai.prompt.name': 'greet',
        'output.value': '[{"role":"user","content":{"type":"text","text":"Say hello to Ada"}}]',
        'output.mime_type': 'application/json',
        'input.value': '{"name":"Ada"}',
        'input.mime_type': 'application/json',
        'llm.prompt_template.variables': '{"name":"Ada"}',
        ...common('1'),
      });
    }
  });

  it('a JSON-RPC error: ERROR, the code in error.type and rpc.response.status_code, its message the description', async () => {
    let caught: unknown;
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      caught = await pair.client.getPrompt({ name: 'nope' }).catch((e: unknown) => e);
      await pair.close();
    });
    const { McpError } = require('@modelcontextprotocol/sdk/types.js');
    expect(caught).to.be.instanceOf(McpError);
    expect((caught as { code: number }).code).to.equal(-32602);
    // McpServer throws an McpError, whose message the SDK sends as the JSON-RPC message.
    const rpcMessage = 'MCP error -32602: Prompt nope not found';
    expect((caught as Error).message).to.equal(`MCP error -32602: ${rpcMessage}`);
    const { client, server } = sidesOf(await tracing.spans(), 'prompts/get nope');
    for (const span of [client, server]) {
      expect(span.attributes).to.deep.equal({
        'openinference.span.kind': 'PROMPT',
        'mcp.method.name': 'prompts/get',
        'gen_ai.prompt.name': 'nope',
        'error.type': '-32602',
        'rpc.response.status_code': '-32602',
        ...common('1'),
      });
      expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: rpcMessage });
      // The SDK names an exception with a code by its code.
      expect(span.events.map((e) => [e.name, e.attributes?.['exception.type']])).to.deep.equal([['exception', '-32602']]);
    }
  });

  it('a method the server does not handle: both spans ERROR -32601 Method not found', async () => {
    const { z } = loadMcp();
    let caught: unknown;
    await tracing.inParent('agent', async () => {
      const pair = await connectPair(weatherServer());
      caught = await pair.client.request({ method: 'custom/thing', params: { x: 1 } }, z.object({})).catch((e: unknown) => e);
      await pair.close();
    });
    expect((caught as { code: number }).code).to.equal(-32601);
    expect((caught as Error).message).to.equal('MCP error -32601: Method not found');
    const { client, server } = sidesOf(await tracing.spans(), 'custom/thing');
    for (const span of [client, server]) {
      expect(span.attributes['error.type']).to.equal('-32601');
      expect(span.attributes['rpc.response.status_code']).to.equal('-32601');
      expect(span.attributes['input.value']).to.equal('{"x":1}');
      expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'Method not found' });
    }
    expect(server.events).to.deep.equal([]);
  });

  it('a request that cannot be sent (not connected): one ERROR CLIENT span, error.type the class, the app gets the SDK error', async () => {
    const { Client } = loadMcp();
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    const caught = await client.listTools().catch((e: unknown) => e);
    expect((caught as Error).message).to.equal('Not connected');
    const spans = mcpSpans(await tracing.spans());
    expect(spans.map((s) => [s.name, s.kind, s.attributes['error.type'], s.status.message])).to.deep.equal([
      ['tools/list', SpanKind.CLIENT, 'Error', 'Not connected'],
    ]);
    expect(spans[0].attributes['jsonrpc.request.id']).to.equal(undefined);
  });

  it('a failed request nobody handles stays the app\'s one unhandled rejection; handled late, it is handled', async () => {
    const { Client } = loadMcp();
    const log = new RejectionLog().install();
    try {
      const client = new Client({ name: 'test-client', version: '1.0.0' });
      const late = client.listTools();
      void client.listTools();
      await settle();
      await late.catch(() => {});
      await settle();
      expect(log.events).to.deep.equal(['unhandled Error', 'unhandled Error', 'handled']);
    } finally {
      log.restore();
    }
    expect(mcpSpans(await tracing.spans()).map((s) => s.status.code)).to.deep.equal([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
  });

  it('a request the server sends from a tool (sampling): its CLIENT span under the tool\'s SERVER span, its SERVER span in the client', async () => {
    const { Client, McpServer, InMemoryTransport } = loadMcp();
    const { CreateMessageRequestSchema } = require('@modelcontextprotocol/sdk/types.js');
    const server = new McpServer({ name: 'sampling-server', version: '1.0.0' });
    server.registerTool('summarize', { description: 'asks the client\'s model' }, async () => {
      const reply = await server.server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Summarize' } }], maxTokens: 10 });
      return { content: [reply.content as { type: 'text'; text: string }] };
    });
    const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: 'Short.' } }));
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    await tracing.inParent('agent', async () => {
      await client.connect(clientTransport);
      expect(await client.callTool({ name: 'summarize' })).to.deep.equal({ content: [{ type: 'text', text: 'Short.' }] });
      await client.close();
    });
    const spans = await tracing.spans();
    const tool = sidesOf(spans, 'tools/call summarize');
    const sampling = sidesOf(spans, 'sampling/createMessage');
    expect(sampling.client.parentSpanContext?.spanId).to.equal(tool.server.spanContext().spanId);
    expect(sampling.server.parentSpanContext?.spanId).to.equal(sampling.client.spanContext().spanId);
    expect(sampling.server.attributes['output.value']).to.equal('{"model":"m","role":"assistant","content":{"type":"text","text":"Short."}}');
  });

  it('a request that arrives inside another span (an HTTP server span): parent the client span, the arrival span linked', async () => {
    const { Client, InMemoryTransport } = loadMcp();
    const http = tracing.provider.getTracer('http');
    const server = weatherServer();
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    // As an HTTP server instrumentation would: each message is handled inside a SERVER span of its own trace.
    const deliver = serverTransport.onmessage!;
    serverTransport.onmessage = (message, extra) =>
      context.with(ROOT_CONTEXT, () => http.startActiveSpan('POST', { kind: SpanKind.SERVER }, (post) => {
        try {
          deliver(message, extra);
        } finally {
          post.end();
        }
      }));
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await tracing.inParent('agent', async () => {
      await client.connect(clientTransport);
      await client.callTool({ name: 'get_weather', arguments: { city: 'Paris' } });
      await client.close();
    });
    const spans = await tracing.spans();
    const posts = spans.filter((s) => s.name === 'POST');
    for (const name of ['initialize', 'tools/call get_weather']) {
      const pair = sidesOf(spans, name);
      expect(pair.server.parentSpanContext?.spanId).to.equal(pair.client.spanContext().spanId);
      expect(pair.server.spanContext().traceId).to.equal(pair.client.spanContext().traceId);
      const post = posts.find((p) => p.spanContext().spanId === pair.server.links[0]?.context.spanId) as ReadableSpan;
      expect(pair.server.links.map((l) => l.context.spanId)).to.deep.equal([post.spanContext().spanId]);
      expect(post.spanContext().traceId).to.not.equal(pair.client.spanContext().traceId);
    }
  });
});
