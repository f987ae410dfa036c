import { propagation, SpanKind } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Client as ClientType } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpServer as McpServerType } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { InMemoryTransport as InMemoryTransportType } from '@modelcontextprotocol/sdk/inMemory.js';
import { isWrapped } from '@opentelemetry/instrumentation';
import { resolveConventions } from '../../../../lib/config/semconv';
import { mcpInstrumentation } from '../../../../lib/frameworks/mcp';
import type { InfiniumInstrumentation } from '../../../../lib/instrumentation/instrumentation';
import type { CallRuntime } from '../../../../lib/instrumentation/llm-call';
import type { InfiniumInstrumentationConfig } from '../../../../lib/instrumentation/types';
import { resolveTraceConfig, TraceConfigOptions } from '../../../../lib/masking/trace-config';
import type { AnyFunction, PatchHost } from '../../../../lib/providers/types';
import { createTracing, TestTracing, useInstrumentation } from '../../../helpers/tracing';

/**
 * The in-process MCP tests' pipeline, writing to an in-memory exporter, with the W3C propagators NodeSDK
 * registers by default. The process-wide instrumentation patches the SDK's CommonJS `Protocol` when it has
 * the MCP patch wired; until then (or if the SDK was loaded before it existed) the MCP patch is applied
 * here through a plain PatchHost, so `Protocol` carries exactly one wrapper of ours either way.
 */
export interface McpHarness {
  tracing: TestTracing;
  /** Sets the masking and the conventions for the next requests. */
  configure(options?: McpTestOptions): void;
}

type McpTestOptions = TraceConfigOptions & { semconv?: string };

export function useMcpHarness(): McpHarness {
  const tracing = createTracing();
  let options: McpTestOptions = {};
  let shared: InfiniumInstrumentation | undefined;
  let patchedHere = false;
  const runtime: CallRuntime = {
    tracer: tracing.provider.getTracer('@infinium/otel'),
    get traceConfig() {
      return resolveTraceConfig(options, {});
    },
    get conventions() {
      return resolveConventions({ semconv: options.semconv }, {});
    },
  };
  const originals: Array<[Record<string, unknown>, string, unknown]> = [];
  const host: PatchHost = {
    runtime,
    wrap(target, name, wrapper) {
      const record = target as Record<string, unknown>;
      originals.push([record, name, record[name]]);
      record[name] = wrapper(record[name] as AnyFunction);
    },
    unwrap() {},
  };
  before(() => {
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
    shared = useInstrumentation(tracing).instrumentation;
    const protocol = require('@modelcontextprotocol/sdk/shared/protocol.js');
    if (isWrapped(protocol.Protocol.prototype.request)) return;
    patchedHere = true;
    const [definition] = mcpInstrumentation.definitions(host);
    definition.files.find((f) => f.name.includes('/dist/cjs/'))!.patch(protocol);
  });
  after(() => {
    for (const [target, name, original] of originals.reverse()) target[name] = original;
    propagation.disable();
  });
  beforeEach(() => {
    useInstrumentation(tracing);
    configure({});
    tracing.reset();
  });
  function configure(next: McpTestOptions = {}): void {
    options = next;
    if (!patchedHere) shared?.setConfig(next as InfiniumInstrumentationConfig);
  }
  return { tracing, configure };
}

export function loadMcp() {
  return {
    Client: require('@modelcontextprotocol/sdk/client/index.js').Client as typeof ClientType,
    McpServer: require('@modelcontextprotocol/sdk/server/mcp.js').McpServer as typeof McpServerType,
    InMemoryTransport: require('@modelcontextprotocol/sdk/inMemory.js').InMemoryTransport as typeof InMemoryTransportType,
    z: require('zod') as typeof import('zod'),
  };
}

export const WEATHER_DESCRIPTION = 'The weather in a city';

/** The test server: a weather tool (it fails for Atlantis), a guide resource, a greeting prompt. */
export function weatherServer(onToolCall?: () => void): McpServerType {
  const { McpServer, z } = loadMcp();
  const server = new McpServer({ name: 'weather-server', version: '1.0.0' });
  server.registerTool('get_weather', { description: WEATHER_DESCRIPTION, inputSchema: { city: z.string() } }, async ({ city }) => {
    onToolCall?.();
    if (city === 'Atlantis') throw new Error('no such city: Atlantis');
    return { content: [{ type: 'text' as const, text: `Sunny in ${city}` }] };
  });
  server.registerResource('guide', 'docs://guide', { mimeType: 'text/markdown' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/markdown', text: '# Guide\nBring an umbrella.' }],
  }));
  server.registerPrompt('greet', { argsSchema: { name: z.string() } }, ({ name }) => ({
    messages: [{ role: 'user' as const, content: { type: 'text' as const, text: `Say hello to ${name}` } }],
  }));
  return server;
}

/** A connected in-process pair (the client's initialize is done). */
export async function connectPair(server: McpServerType): Promise<{ client: ClientType; close(): Promise<void> }> {
  const { Client, InMemoryTransport } = loadMcp();
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return {
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** The MCP spans (they carry mcp.method.name), oldest first. */
export function mcpSpans(spans: ReadableSpan[]): ReadableSpan[] {
  return spans.filter((s) => s.attributes['mcp.method.name'] !== undefined);
}

/** The one span of `method` on each side (fails unless there is exactly one of each). */
export function sidesOf(spans: ReadableSpan[], name: string): { client: ReadableSpan; server: ReadableSpan } {
  const named = mcpSpans(spans).filter((s) => s.name === name);
  const client = named.filter((s) => s.kind === SpanKind.CLIENT);
  const server = named.filter((s) => s.kind === SpanKind.SERVER);
  if (client.length !== 1 || server.length !== 1) throw new Error(`${name}: ${client.length} client and ${server.length} server spans`);
  return { client: client[0], server: server[0] };
}
