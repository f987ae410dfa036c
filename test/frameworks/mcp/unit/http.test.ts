import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { loadMcp, mcpSpans, sidesOf, useMcpHarness, weatherServer } from './harness';

/**
 * A Streamable HTTP pair in this process (a stateful server on a local port): what the transport adds to
 * both sides, `network.*`, `server.*` on the client, and the session id the server hands out.
 */
describe('MCP in process: Streamable HTTP', () => {
  const { tracing } = useMcpHarness();
  let server: http.Server;
  let port: number;

  before(async () => {
    const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js');
    const sessions = new Map<string, { handleRequest(req: unknown, res: unknown, body: unknown): Promise<void> }>();
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
      let transport = sessions.get(String(req.headers['mcp-session-id']));
      if (!transport) {
        const created = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: (id: string) => sessions.set(id, created) });
        await weatherServer().connect(created);
        transport = created;
      }
      await transport!.handleRequest(req, res, body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('tcp/http on both sides, the server address on the client, the session id on both', async () => {
    const { Client } = loadMcp();
    const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`));
    await tracing.inParent('agent', async () => {
      await client.connect(transport);
      await client.callTool({ name: 'get_weather', arguments: { city: 'Paris' } });
    });
    const sessionId = transport.sessionId as string;
    await client.close();
    expect(sessionId).to.match(/^[0-9a-f-]{36}$/);
    const spans = await tracing.spans();
    for (const name of ['initialize', 'tools/call get_weather']) {
      const { client: sent, server: handled } = sidesOf(spans, name);
      expect(handled.parentSpanContext?.spanId).to.equal(sent.spanContext().spanId);
      const common = { 'network.transport': 'tcp', 'network.protocol.name': 'http', 'mcp.session.id': sessionId, 'mcp.protocol.version': '2025-11-25' };
      expect(sent.attributes).to.include({ ...common, 'server.address': '127.0.0.1', 'server.port': port });
      expect(handled.attributes).to.include(common);
      expect([handled.attributes['server.address'], handled.attributes['server.port']]).to.deep.equal([undefined, undefined]);
    }
    expect(mcpSpans(spans).filter((s) => s.kind === SpanKind.CLIENT)).to.have.length(2);
  });
});
