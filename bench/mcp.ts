/**
 * What MCP tracing costs per `tools/call` (run by bench/run.ts as section `mcp`; prints JSON), on the real
 * `@modelcontextprotocol/sdk` (an McpServer tool `add`, a Client calling it):
 * - in process, over InMemoryTransport: one process does both sides, so the CPU µs per call holds the
 *   CLIENT span and the SERVER span (and the `_meta` copy between them). Two methods, named beside each
 *   figure (docs/performance.md): *paired*, the instrumentation switched off and on between batches inside one
 *   long-warmed process (crossover rounds: the steady state), and *vs none*, the instrumented process against
 *   fresh processes that never load the instrumentation (what a short-lived process pays);
 * - over stdio: the client here, the server a second process (`--import @infinium/otel/register` with no
 *   exporter when instrumented, plain `node` when not); wall µs per round trip and this process's CPU µs
 *   per call. The server's CPU is not seen from here: its share is in the in-process figure.
 *
 * Standalone: `node --import tsx bench/mcp.ts` (parent) or `node --import tsx bench/mcp.ts child ours inmemory`.
 */
import path from 'node:path';
import { loadOurInstrumentation, medianOfChildren, ROOT, runBenchScript, setUpBenchTracing } from './bench-child';
import type { CountingExporter, Switchable } from './drop-exporter';
import { median, medianOfCrossovers, round, table } from './stats';

type Variant = 'none' | 'ours' | 'ours-nocontent';
type Transport = 'inmemory' | 'stdio';
const VARIANTS: Variant[] = ['none', 'ours', 'ours-nocontent'];
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Math.max(4, Number(process.env.BENCH_ROUNDS ?? 9) * 2);
const GENERATIONS = Number(process.env.BENCH_MCP_PROCESSES ?? 3);
const CALLS: Record<Transport, number> = { inmemory: Math.max(200, Math.round(1000 * SCALE)), stdio: Math.max(50, Math.round(200 * SCALE)) };
const WARMUP: Record<Transport, number> = { inmemory: Math.max(1000, Math.round(5000 * SCALE)), stdio: Math.max(200, Math.round(1000 * SCALE)) };
const STDIO_SERVER = path.join(ROOT, 'test', 'frameworks', 'mcp', 'e2e', 'fixtures', 'stdio-server.mjs');

/** The tracing pipeline and, for ours, the built instrumentation: before the SDK is required, as an app has it. */
function setUp(variant: Variant): { exporter: CountingExporter; instrumentation?: Switchable } {
  const { exporter, provider } = setUpBenchTracing((span) => span.attributes['mcp.method.name'] !== undefined);
  if (variant === 'none') return { exporter };
  return { exporter, instrumentation: loadOurInstrumentation(provider, { captureContent: variant === 'ours' }) };
}

async function connect(transport: Transport, variant: Variant): Promise<{ call: (i: number) => Promise<unknown>; close: () => Promise<void> }> {
  const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
  const client = new Client({ name: 'bench', version: '1.0.0' });
  if (transport === 'inmemory') {
    const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
    const { InMemoryTransport } = require('@modelcontextprotocol/sdk/inMemory.js');
    const { z } = require('zod');
    const server = new McpServer({ name: 'bench', version: '1.0.0' });
    server.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }: { a: number; b: number }) => ({
      content: [{ type: 'text', text: String(a + b) }],
    }));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
  } else {
    const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
    const args = variant === 'none' ? [STDIO_SERVER] : ['--import', '@infinium/otel/register', STDIO_SERVER];
    const env: Record<string, string> = { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' };
    if (variant === 'ours-nocontent') env.INFINIUM_CAPTURE_CONTENT = 'false';
    await client.connect(new StdioClientTransport({ command: process.execPath, args, cwd: ROOT, env, stderr: 'inherit' }));
  }
  return { call: (i) => client.callTool({ name: 'add', arguments: { a: i, b: 1 } }), close: () => client.close() };
}

async function batch(call: (i: number) => Promise<unknown>, calls: number): Promise<{ cpuUs: number; wallUs: number }> {
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call(i);
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / calls, wallUs: Number(process.hrtime.bigint() - wall) / 1000 / calls };
}

/** One variant in this process: warm up, then rounds of batches (ours: off and on in crossover order). */
async function child(variant: Variant, transport: Transport): Promise<Record<string, number>> {
  const { exporter, instrumentation } = setUp(variant);
  const { call, close } = await connect(transport, variant);
  const calls = CALLS[transport];
  await batch(call, WARMUP[transport]);
  const on: Array<{ cpuUs: number; wallUs: number }> = [];
  const off: Array<{ cpuUs: number; wallUs: number }> = [];
  const pairs: number[] = [];
  const wallPairs: number[] = [];
  let spansOn = 0;
  let spansOff = 0;
  for (let r = 0; r < ROUNDS; r++) {
    // Not paired over stdio: its batches are short, and the re-optimization after each switch (the
    // methods re-wrapped) landed on them: a client's share measured that way came out near twice its vs-none figure.
    const order = !instrumentation || transport === 'stdio' ? [true] : r % 2 === 0 ? [false, true] : [true, false];
    const got: Record<string, number> = {};
    const gotWall: Record<string, number> = {};
    for (const enabled of order) {
      if (instrumentation) enabled ? instrumentation.enable() : instrumentation.disable();
      const before = exporter.counted;
      const figures = await batch(call, calls);
      (enabled ? on : off).push(figures);
      if (enabled) spansOn += exporter.counted - before;
      else spansOff += exporter.counted - before;
      got[String(enabled)] = figures.cpuUs;
      gotWall[String(enabled)] = figures.wallUs;
    }
    if (got.false !== undefined) {
      pairs.push(got.true - got.false);
      wallPairs.push(gotWall.true - gotWall.false);
    }
  }
  instrumentation?.enable();
  await close();
  const out: Record<string, number> = {
    cpuUsPerCall: round(median(on.map((f) => f.cpuUs)), 2),
    wallUsPerCall: round(median(on.map((f) => f.wallUs)), 2),
    mcpSpansPerCall: round(spansOn / (on.length * calls), 2),
  };
  if (pairs.length > 0) {
    out.pairedOverheadUs = round(medianOfCrossovers(pairs), 2);
    out.pairedWallOverheadUs = round(medianOfCrossovers(wallPairs), 2);
    out.mcpSpansPerCallOff = round(spansOff / (off.length * calls), 2);
  }
  return out;
}

/** Fresh processes per variant, interleaved generation by generation; medians across them. */
function parent(): Record<string, unknown> {
  const results: Record<string, unknown> = { calls: CALLS, warmup: WARMUP, rounds: ROUNDS, processesPerVariant: GENERATIONS };
  for (const transport of ['inmemory', 'stdio'] as Transport[]) {
    const of = medianOfChildren(__filename, VARIANTS, GENERATIONS, (variant) => [variant, transport]);
    const figures: Record<string, Record<string, number>> = {};
    for (const variant of VARIANTS) {
      figures[variant] = { cpuUsPerCall: of(variant, 'cpuUsPerCall'), wallUsPerCall: of(variant, 'wallUsPerCall'), mcpSpansPerCall: of(variant, 'mcpSpansPerCall') };
      if (variant !== 'none') {
        figures[variant].cpuVsNoneUs = round(figures[variant].cpuUsPerCall - figures.none.cpuUsPerCall, 2);
        figures[variant].wallVsNoneUs = round(figures[variant].wallUsPerCall - figures.none.wallUsPerCall, 2);
        if (transport === 'inmemory') {
          figures[variant].pairedOverheadUs = of(variant, 'pairedOverheadUs');
          figures[variant].pairedWallOverheadUs = of(variant, 'pairedWallOverheadUs');
          figures[variant].mcpSpansPerCallOff = of(variant, 'mcpSpansPerCallOff');
        }
      }
    }
    results[transport] = figures;
  }
  return results;
}

/** The lines of this section in bench/run.ts's report. */
export function reportMcp(results: Record<string, unknown>): string[] {
  if ('skipped' in results) return ['== MCP', `skipped: ${String(results.skipped)}`];
  const rows: Array<Array<string | number>> = [];
  for (const transport of ['inmemory', 'stdio'] as Transport[]) {
    const figures = results[transport] as Record<Variant, Record<string, number>> | undefined;
    for (const variant of VARIANTS) {
      const f = figures?.[variant];
      if (!f) continue;
      rows.push([transport, variant, f.cpuUsPerCall, f.cpuVsNoneUs ?? '-', f.pairedOverheadUs ?? '-', f.wallUsPerCall, f.wallVsNoneUs ?? '-', f.pairedWallOverheadUs ?? '-', f.mcpSpansPerCall]);
    }
  }
  return [
    '== MCP: µs per tools/call (median; in-memory: both sides in one process; stdio: this side\'s CPU, round-trip wall)',
    '+vs none = over fresh processes without instrumentation; paired = off/on batches in one warmed process (crossovers)',
    table(['transport', 'variant', 'CPU µs', '+vs none', '+paired', 'wall µs', 'wall +vs none', 'wall +paired', 'MCP spans/call'], rows),
  ];
}

// bench/run.ts imports reportMcp only; run as a script, this measures.
if (require.main === module) runBenchScript(([variant, transport]) => child(variant as Variant, transport as Transport), parent);
