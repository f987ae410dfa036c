import { expect } from 'chai';
import { OtlpReceiver, startOtlpReceiver } from '../register/otlp-receiver';
import { FrameworkAppCase, frameworkApp, installProblems, LINE_PINS, LineApp } from './line-apps';
import { ProcessResult, run, Runtime } from './node-runtime';

/**
 * MCP apps from the packed package: the MCP SDK 1.x on each OpenTelemetry line, an in-process pair and a stdio
 * server in a second process under the register entry (fixtures/mcp-app.cjs, its ESM twin, mcp-server.cjs),
 * run once with the SDK's CommonJS build and once with its ESM build (separate copies; both must be traced),
 * in the app and in the server alike.
 */
export const MCP_FIXTURES = ['mcp-app.cjs', 'mcp-app.mjs', 'mcp-server.cjs'];
const MCP_SDK = { '@modelcontextprotocol/sdk': '1.32.2' };

export type McpCase = FrameworkAppCase;

// The SDK peers on zod ^3.25 || ^4: each line gets one of them.
export const MCP_CASES: McpCase[] = [
  {
    key: 'mcp 1.x app on the 3.x line (Node 22)', line: '3.x', tracing: 'sdk-trace', runtime: (n22) => n22,
    name: 'mcp-3.x', dependencies: { ...LINE_PINS['3.x'], ...MCP_SDK, zod: '4.6.7' },
  },
  {
    key: 'mcp 1.x app on the 2.x line (Node 20)', line: '2.x', tracing: 'sdk-trace-base', runtime: (_n22, n20) => n20,
    name: 'mcp-2.x', dependencies: { ...LINE_PINS['2.x'], ...MCP_SDK, zod: '3.25.76' },
  },
];

/** The app of `c`, installed with npm, our tarball added with a plain `npm install`, the fixtures copied in. */
export function mcpApp(c: McpCase, runtime: Runtime, workDir: string, tarball: string): Promise<LineApp> {
  return frameworkApp(c, MCP_FIXTURES, runtime, workDir, tarball);
}

/** A span as either process exported it, its kind by name (the SDK and OTLP number kinds differently). */
interface McpSpan {
  name: string;
  id: string;
  traceId: string;
  parentId: string | null;
  kind: string;
  scope: string;
  status: number;
  attributes: Record<string, unknown>;
}
interface RunLine {
  inProcessResult: unknown;
  stdioResult: unknown;
  serverStderr: string;
  /** The stdio server's name, which says the build of the SDK it loaded. */
  serverName: string;
  stillOpen: string[];
  cjsSdkLoaded: boolean;
}

const SDK_KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const OTLP_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const OURS = '@infinium/otel';
const PROTOCOL_VERSION = '2025-11-25';
const ADD_RESULT = { content: [{ type: 'text', text: '5' }] };
/** tools/call add {a: 2, b: 3} on either side; `network.transport` is added where there is one. */
const TOOLS_CALL = {
  'openinference.span.kind': 'TOOL', 'tool.name': 'add', 'mcp.method.name': 'tools/call', 'gen_ai.operation.name': 'execute_tool',
  'gen_ai.tool.name': 'add', 'jsonrpc.request.id': '1', 'mcp.protocol.version': PROTOCOL_VERSION,
  'input.value': '{"a":2,"b":3}', 'input.mime_type': 'application/json',
  'output.value': '{"content":[{"type":"text","text":"5"}]}', 'output.mime_type': 'application/json',
};

/** The mocha tests of one MCP app: its install, then both turns as CommonJS and as ESM. */
export function describeMcpApp(c: McpCase, app: () => LineApp): void {
  describe(c.key, () => {
    let receiver: OtlpReceiver;
    beforeEach(async () => (receiver = await startOtlpReceiver()));
    afterEach(async () => receiver?.stop());
    const env = () => ({ APP_TRACING: c.tracing, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', MCP_SERVER_OTLP: receiver.origin });

    it('adding us to the MCP app brought no peer problem', async () => {
      expect(await installProblems(app())).to.deep.equal([]);
    });

    it('CommonJS (require; server under --require): in process and over stdio, one CLIENT and one SERVER span per request, one trace', async () => {
      await expectMcpTurns(await run(app().runtime, ['mcp-app.cjs'], app().dir, env()), receiver, 'cjs');
    });

    it('ESM (import, tracing loaded with --import; the server\'s SDK through import() under --import, INFINIUM_ESM_HOOK=true): the ESM copies are traced the same', async () => {
      await expectMcpTurns(await run(app().runtime, ['--import', './mcp-app.cjs', 'mcp-app.mjs'], app().dir, env()), receiver, 'esm');
    });
  });
}

async function expectMcpTurns(result: ProcessResult, receiver: OtlpReceiver, build: 'cjs' | 'esm'): Promise<void> {
  expect(result.stderr, 'stderr').to.equal('');
  expect(result.code).to.equal(0);
  const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { span?: McpSpan & { kind: number }; run?: RunLine });
  const spans = lines.flatMap((l) => (l.span ? [{ ...l.span, kind: SDK_KINDS[l.span.kind] }] : []));
  const runLine = lines.find((l) => l.run)!.run!;
  expect([runLine.inProcessResult, runLine.stdioResult]).to.deep.equal([ADD_RESULT, ADD_RESULT]);
  expect(runLine.serverStderr, "the server's stderr").to.equal('');
  expect(runLine.stillOpen, 'spans still open after the turns').to.deep.equal([]);
  expect(runLine.cjsSdkLoaded, 'the CommonJS build of the SDK was loaded').to.equal(build === 'cjs');
  expect(runLine.serverName, 'the stdio server runs the same build').to.equal(`lines-stdio-server (${build} build)`);
  const summary = spans.map((s) => `${s.name} [${s.kind}] ${s.traceId}/${s.id} <- ${s.parentId}`).join('\n');

  // In process: initialize and tools/call, each one CLIENT span under the root and one SERVER span under it.
  const inProcess = spans.find((s) => s.name === 'in-process' && s.parentId === null)!;
  expect(inProcess, summary).to.not.equal(undefined);
  const local = spans.filter((s) => s.scope === OURS && s.traceId === inProcess.traceId);
  expect(local, summary).to.have.length(4);
  expectPairs(local, local, inProcess, summary);
  const [client, server] = ['CLIENT', 'SERVER'].map((kind) => local.find((s) => s.kind === kind && s.attributes['mcp.method.name'] === 'tools/call')!);
  expect(client.attributes, 'in-process CLIENT tools/call').to.deep.equal(TOOLS_CALL);
  // Its parent came through `_meta` (a remote parent, though in this process): our processor rolls up on it too.
  expect(withoutRollUp(server.attributes), 'in-process SERVER tools/call').to.deep.equal(TOOLS_CALL);

  // Over stdio: the CLIENT spans here, the SERVER spans in the child, in this trace, each under its CLIENT span.
  const stdio = spans.find((s) => s.name === 'stdio' && s.parentId === null)!;
  expect(stdio, summary).to.not.equal(undefined);
  const here = spans.filter((s) => s.scope === OURS && s.traceId === stdio.traceId);
  await receiver.waitForSpans(2, 15_000).catch((err: Error) => {
    throw new Error(`${err.message}: the stdio server exported too few spans`);
  });
  const there: McpSpan[] = receiver.spans.filter((s) => s.scope === OURS).map((s) => ({
    name: s.name, id: s.spanId, traceId: s.traceId, parentId: s.parentSpanId ?? null, kind: OTLP_KINDS[s.kind], scope: s.scope,
    status: s.status.code, attributes: s.attributes,
  }));
  expect([here.length, there.length], `our spans of the stdio turn here and in the server\n${summary}`).to.deep.equal([2, 2]);
  expectPairs(here, there, stdio, summary);
  const stdioClient = here.find((s) => s.attributes['mcp.method.name'] === 'tools/call')!;
  const stdioServer = there.find((s) => s.attributes['mcp.method.name'] === 'tools/call')!;
  expect(stdioClient.attributes, 'stdio CLIENT tools/call').to.deep.equal({ ...TOOLS_CALL, 'network.transport': 'pipe' });
  expect(withoutRollUp(stdioServer.attributes), 'stdio SERVER tools/call').to.deep.equal({ ...TOOLS_CALL, 'network.transport': 'pipe' });
  expect(receiver.spans[0].resource['service.name']).to.equal('lines-mcp-server');
}

/**
 * `clients` hold exactly one CLIENT span per request (initialize, tools/call), each a child of `root`;
 * `servers` exactly one SERVER span per request, in root's trace, each a child of its request's CLIENT span.
 */
function expectPairs(clients: McpSpan[], servers: McpSpan[], root: McpSpan, summary: string): void {
  const requests = (spans: McpSpan[], kind: string) => spans.filter((s) => s.kind === kind)
    .map((s) => [s.name, s.attributes['mcp.method.name'], s.attributes['jsonrpc.request.id'], s.status] as const)
    .sort((a, b) => String(a[2]).localeCompare(String(b[2])));
  const expected = [['initialize', 'initialize', '0', 0], ['tools/call add', 'tools/call', '1', 0]];
  expect(requests(clients, 'CLIENT'), `CLIENT spans of ${root.name}\n${summary}`).to.deep.equal(expected);
  expect(requests(servers, 'SERVER'), `SERVER spans of ${root.name}\n${summary}`).to.deep.equal(expected);
  for (const server of servers.filter((s) => s.kind === 'SERVER')) {
    const client = clients.find((s) => s.kind === 'CLIENT' && s.attributes['jsonrpc.request.id'] === server.attributes['jsonrpc.request.id'])!;
    expect([server.traceId, server.parentId], `${root.name}: ${server.name}'s SERVER span's trace and parent`).to.deep.equal([root.traceId, client.id]);
    expect([client.traceId, client.parentId], `${root.name}: ${client.name}'s CLIENT span's trace and parent`).to.deep.equal([root.traceId, root.id]);
  }
}

/** A SERVER span's parent is remote (from `_meta`): our processor takes it for a local root and adds the infinium.* roll-up. */
function withoutRollUp(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => !key.startsWith('infinium.')));
}
