import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { RUN_ABANDONED_EVENT } from '../../../../lib/frameworks/run-span';
import { RejectionLog, settle } from '../../../helpers/rejections';
import { loadMcp, mcpSpans, useMcpHarness, weatherServer } from './harness';

/**
 * Every span ends, whatever becomes of the request: timed out, its connection closed, cancelled, refused
 * before its handler runs. The in-memory exporter only sees ended spans, so a span left open is a missing row.
 */
describe('MCP in process: every span ends', () => {
  const { tracing } = useMcpHarness();

  /** A server whose `slow` tool waits until released; `started` resolves when the handler runs. */
  function slowServer() {
    const server = weatherServer();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    server.registerTool('slow', { description: 'waits' }, async () => {
      started();
      await released;
      return { content: [{ type: 'text' as const, text: 'late' }] };
    });
    return { server, release, running };
  }

  async function connect(server: ReturnType<typeof weatherServer>) {
    const { Client, InMemoryTransport } = loadMcp();
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    return client;
  }

  /**
   * Kind, status, error.type, rpc.response.status_code (none: no response carried a code), events and whether
   * the result was recorded, of each tools/call span.
   */
  function rows() {
    return tracing.spans().then((spans) =>
      mcpSpans(spans)
        .filter((s) => s.attributes['mcp.method.name'] === 'tools/call')
        .map((s) => [
          SpanKind[s.kind], s.status.code, s.attributes['error.type'] ?? null, s.attributes['rpc.response.status_code'] ?? null,
          s.events.map((e) => e.name).join(), s.attributes['output.value'] ?? null,
        ])
        .sort(),
    );
  }

  it('a request that times out: the CLIENT span ERROR -32001 at once (no response code: none came), the SERVER span ends abandoned when the cancellation arrives, not when its handler returns', async () => {
    const { server, release, running } = slowServer();
    const log = new RejectionLog().install();
    try {
      const client = await connect(server);
      const caught = await client.callTool({ name: 'slow' }, undefined, { timeout: 20 }).catch((e: unknown) => e);
      expect([(caught as { code?: number }).code, (caught as Error).message]).to.deep.equal([-32001, 'MCP error -32001: Request timed out']);
      await running;
      await settle();
      // The client sent notifications/cancelled: the SDK will not answer, so the SERVER span ends now, abandoned.
      const expected = [
        ['CLIENT', SpanStatusCode.ERROR, '-32001', null, 'exception', null],
        ['SERVER', SpanStatusCode.UNSET, null, null, RUN_ABANDONED_EVENT, null],
      ];
      expect(await rows()).to.deep.equal(expected);
      release();
      await settle();
      expect(await rows()).to.deep.equal(expected);
      await client.close();
    } finally {
      log.restore();
    }
    expect(log.events).to.deep.equal([]);
  });

  it('a connection closed mid-request: the CLIENT span ERROR -32000, the app gets the SDK error; the SERVER span ends abandoned as the connection closes', async () => {
    const { server, release, running } = slowServer();
    const log = new RejectionLog().install();
    try {
      const client = await connect(server);
      const pending = client.callTool({ name: 'slow' }).catch((e: unknown) => e);
      await running;
      await client.close();
      const caught = await pending;
      expect([(caught as { code?: number }).code, (caught as Error).message]).to.deep.equal([-32000, 'MCP error -32000: Connection closed']);
      await settle();
      // The server's side of the connection closed too: its handlers are aborted, nothing will be answered.
      const expected = [
        ['CLIENT', SpanStatusCode.ERROR, '-32000', null, 'exception', null],
        ['SERVER', SpanStatusCode.UNSET, null, null, RUN_ABANDONED_EVENT, null],
      ];
      expect(await rows()).to.deep.equal(expected);
      release();
      await settle();
      expect(await rows()).to.deep.equal(expected);
    } finally {
      log.restore();
    }
    expect(log.events).to.deep.equal([]);
  });

  it('a low-level handler that throws synchronously (an Error, a string): both spans end ERROR with the code and message the SDK answers', async () => {
    const { Client, InMemoryTransport } = loadMcp();
    const { Server } = require('@modelcontextprotocol/sdk/server/index.js');
    const { ListToolsRequestSchema, ListPromptsRequestSchema } = require('@modelcontextprotocol/sdk/types.js');
    const server = new Server({ name: 'raw', version: '1.0.0' }, { capabilities: { tools: {}, prompts: {} } });
    const thrown = new Error('tools are down');
    server.setRequestHandler(ListToolsRequestSchema, () => {
      throw thrown;
    });
    server.setRequestHandler(ListPromptsRequestSchema, () => {
      throw 'prompts are down';
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(clientTransport);
    const caught = [await client.listTools().catch((e: Error) => e.message), await client.listPrompts().catch((e: Error) => e.message)];
    await client.close();
    expect(caught).to.deep.equal(['MCP error -32603: tools are down', 'MCP error -32603: Internal error']);
    const spans = mcpSpans(await tracing.spans()).filter((s) => s.name !== 'initialize');
    expect(spans.map((s) => [s.name, SpanKind[s.kind], s.attributes['error.type'], s.attributes['rpc.response.status_code'], s.status.message]).sort()).to.deep.equal([
      ['prompts/list', 'CLIENT', '-32603', '-32603', 'Internal error'],
      ['prompts/list', 'SERVER', '-32603', '-32603', 'Internal error'],
      ['tools/list', 'CLIENT', '-32603', '-32603', 'tools are down'],
      ['tools/list', 'SERVER', '-32603', '-32603', 'tools are down'],
    ]);
  });

  it('a task-augmented tools/call the server refuses before any handler runs: the SERVER span ends ERROR, as the SDK answers', async () => {
    const { InMemoryTransport } = loadMcp();
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await weatherServer().connect(serverTransport);
    const answers: JSONRPCMessage[] = [];
    clientTransport.onmessage = (message) => void answers.push(message);
    await clientTransport.start();
    await clientTransport.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'get_weather', arguments: { city: 'Paris' }, task: { ttl: 1000 } } });
    await settle();
    const refusal = 'Server does not support task creation (required for tools/call)';
    expect(answers).to.deep.equal([{ jsonrpc: '2.0', id: 7, error: { code: -32603, message: refusal } }]);
    const spans = mcpSpans(await tracing.spans());
    expect(spans.map((s) => [s.name, SpanKind[s.kind], s.attributes['error.type'], s.attributes['rpc.response.status_code'], s.status])).to.deep.equal([
      ['tools/call get_weather', 'SERVER', '-32603', '-32603', { code: SpanStatusCode.ERROR, message: refusal }],
    ]);
    await clientTransport.close();
  });
});
