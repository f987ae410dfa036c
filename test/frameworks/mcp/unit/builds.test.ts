import { expect } from 'chai';
import { SpanKind } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { mcpInstrumentation } from '../../../../lib/frameworks/mcp';
import { cjsProtocolPaths } from '../../../../lib/frameworks/mcp/files';
import { resolveTraceConfig } from '../../../../lib/masking/trace-config';
import type { AnyFunction, PatchHost } from '../../../../lib/providers/types';
import { mcpSpans, useMcpHarness } from './harness';

/**
 * The SDK's ESM build is a second copy of `Protocol` (dist/esm): its file's definition patches it from the
 * ESM namespace as the loader hook hands it over. Mocha runs CommonJS, so the patch is applied here.
 */
describe('MCP in process: both builds', () => {
  const { tracing } = useMcpHarness();
  const restore: Array<() => void> = [];

  after(() => restore.forEach((undo) => undo()));

  it("the CommonJS build is patched by the instrumentation's require hook (by the file's absolute path: the package's main does not resolve)", () => {
    expect(() => require.resolve('@modelcontextprotocol/sdk')).to.throw();
    const { Protocol } = require('@modelcontextprotocol/sdk/shared/protocol.js');
    expect([isWrapped(Protocol.prototype.request), isWrapped(Protocol.prototype._onrequest)]).to.deep.equal([true, true]);
  });

  it("hooks the copy the main script named on the command line resolves to (a workspace package's own; under --require, require.main is unset), 1.x only", () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-copies-')));
    const copy = (dir: string, version: string): string => {
      const sdk = path.join(root, dir, 'node_modules', '@modelcontextprotocol', 'sdk');
      fs.mkdirSync(path.join(sdk, 'dist', 'cjs', 'shared'), { recursive: true });
      fs.writeFileSync(path.join(sdk, 'package.json'), JSON.stringify({ name: '@modelcontextprotocol/sdk', version, exports: { './*': { require: './dist/cjs/*' } } }));
      fs.writeFileSync(path.join(sdk, 'dist', 'cjs', 'shared', 'protocol.js'), '');
      return path.join(sdk, 'dist', 'cjs', 'shared', 'protocol.js');
    };
    const workspace = copy('workspace', '1.99.0');
    copy('future', '2.0.0');
    const argv = sinon.stub(process, 'argv');
    try {
      argv.value([process.execPath, path.join(root, 'workspace', 'main.js')]);
      expect(cjsProtocolPaths()).to.include(workspace);
      argv.value([process.execPath, path.join(root, 'future', 'main.js')]);
      expect(cjsProtocolPaths().filter((file) => file.startsWith(root))).to.deep.equal([]);
    } finally {
      argv.restore();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('finds Protocol in the protocol, client and server modules (what a bundled app hands manuallyInstrument)', () => {
    const { Protocol } = require('@modelcontextprotocol/sdk/shared/protocol.js');
    for (const id of ['shared/protocol.js', 'client/index.js', 'server/index.js']) {
      const wrapped: Array<[unknown, string]> = [];
      const host: PatchHost = { runtime: undefined as never, wrap: (target, name) => void wrapped.push([target, name]), unwrap() {} };
      mcpInstrumentation.definitions(host)[0].patch!(require(`@modelcontextprotocol/sdk/${id}`));
      expect(wrapped, id).to.deep.equal([[Protocol.prototype, 'request'], [Protocol.prototype, '_onrequest']]);
    }
  });

  it('patches the ESM Protocol from its namespace; a tools/call is one span per side', async () => {
    const protocol = await import('@modelcontextprotocol/sdk/shared/protocol.js');
    const proto = protocol.Protocol.prototype as unknown as Record<string, unknown>;
    if (!isWrapped(proto.request)) {
      const host: PatchHost = {
        runtime: { tracer: tracing.provider.getTracer('@infinium/otel'), traceConfig: resolveTraceConfig({}, {}) },
        wrap(target, name, wrapper) {
          const record = target as Record<string, unknown>;
          const original = record[name];
          record[name] = wrapper(original as AnyFunction);
          restore.push(() => (record[name] = original));
        },
        unwrap() {},
      };
      const esm = mcpInstrumentation.definitions(host)[0].files.find((f) => f.name.includes('/dist/esm/'))!;
      esm.patch(protocol);
      expect(restore).to.have.length(2);
    }
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
    const { InMemoryTransport } = await import('@modelcontextprotocol/sdk/inMemory.js');
    // The ESM copy is not the CommonJS one.
    expect(Client).to.not.equal(require('@modelcontextprotocol/sdk/client/index.js').Client);
    const server = new McpServer({ name: 'esm-server', version: '1.0.0' });
    server.registerTool('ping_tool', { description: 'pong' }, async () => ({ content: [{ type: 'text', text: 'pong' }] }));
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'esm-client', version: '1.0.0' });
    await server.connect(serverTransport);
    await tracing.inParent('agent', async () => {
      await client.connect(clientTransport);
      await client.callTool({ name: 'ping_tool' });
    });
    await client.close();
    const spans = mcpSpans(await tracing.spans()).filter((s) => s.name === 'tools/call ping_tool');
    expect(spans.map((s) => s.kind).sort()).to.deep.equal([SpanKind.SERVER, SpanKind.CLIENT].sort());
    const [serverSpan, clientSpan] = spans[0].kind === SpanKind.SERVER ? spans : [spans[1], spans[0]];
    expect(serverSpan.parentSpanContext?.spanId).to.equal(clientSpan.spanContext().spanId);
  });
});
