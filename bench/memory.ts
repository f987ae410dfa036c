/**
 * Memory, in its own process with `global.gc` (run by bench/run.ts; prints JSON):
 * - finished: heap after 10,000 finished traces (root + LLM span + tool span), against the heap before:
 *   the processor must forget every trace whose root ended;
 * - unended: heap after 100,000 traces whose root never ends (the app dropped them): the processor keeps
 *   at most `maxOpenTraces` (default 10,000) of them, so the heap stops growing at the cap.
 */
import path from 'node:path';
import { ROOT_CONTEXT, trace, Tracer } from '@opentelemetry/api';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { DropExporter } from './drop-exporter';
import { round } from './stats';

const { InfiniumSpanProcessor } = require(path.resolve(__dirname, '..', 'dist', 'index.js'));

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** Lets pending exports settle (SimpleSpanProcessor holds each span until its export promise resolves). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function heapMb(): Promise<number> {
  await settle();
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const WITHOUT = process.env.BENCH_MEMORY_WITHOUT_PROCESSOR === '1';

function setUp(): { tracer: Tracer; processor: { openTraceCount?: number } } {
  const processor = new InfiniumSpanProcessor();
  const exporting = new SimpleSpanProcessor({ exporter: new DropExporter() });
  const provider = new TracerProvider({ spanProcessors: WITHOUT ? [exporting] : [processor, exporting] });
  return { tracer: provider.getTracer('bench'), processor };
}

function trace3(tracer: Tracer, endRoot: boolean): void {
  const root = tracer.startSpan('agent run');
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  tracer
    .startSpan('chat gpt-4o-mini', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 19,
        'gen_ai.usage.output_tokens': 10,
      },
    }, ctx)
    .end();
  tracer.startSpan('tool lookup', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' } }, ctx).end();
  if (endRoot) root.end();
}

async function finished(): Promise<Record<string, number>> {
  const { tracer, processor } = setUp();
  for (let i = 0; i < 2000; i++) {
    trace3(tracer, true); // warm-up: JIT, caches
    if (i % 100 === 0) await settle();
  }
  const before = await heapMb();
  for (let i = 0; i < 10_000; i++) {
    trace3(tracer, true);
    if (i % 100 === 0) await settle();
  }
  const after = await heapMb();
  // Noise: the same measurement with nothing done in between.
  const again = await heapMb();
  return {
    traces: 10_000,
    heapBeforeMb: round(before, 2),
    heapAfterMb: round(after, 2),
    growthMb: round(after - before, 2),
    noiseMb: round(Math.abs(again - after), 2),
    openTracesAfter: processor.openTraceCount ?? -1,
  };
}

async function unended(): Promise<Record<string, number>> {
  const { tracer, processor } = setUp();
  const before = await heapMb();
  const checkpoints: Record<string, number> = {};
  for (let i = 1; i <= 100_000; i++) {
    trace3(tracer, false);
    if (i % 100 === 0) await settle();
    if (i === 10_000 || i === 50_000 || i === 100_000) checkpoints[`heapMbAfter${i / 1000}k`] = round((await heapMb()) - before, 2);
  }
  return {
    roots: 100_000,
    ...checkpoints,
    openTracesAfter: processor.openTraceCount ?? -1,
  };
}

async function main(): Promise<void> {
  const result = { withProcessor: !WITHOUT, finished: await finished(), unended: await unended() };
  console.log(JSON.stringify(result));
}

void main();
