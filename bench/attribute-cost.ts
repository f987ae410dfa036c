/**
 * What the OpenTelemetry SDK itself charges for a span's attributes (run by bench/run.ts; prints JSON):
 * start a CLIENT span, enter its context, set N attributes, end it, through SimpleSpanProcessor and a
 * dropping exporter. No instrumentation involved: this is the floor under any instrumentation that records
 * N attributes per call (ours records about 30 on a chat call, OpenInference as many, the OTel peer about 12).
 */
import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { DropExporter } from './drop-exporter';
import { median, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const SPANS = Math.max(2000, Math.round(20_000 * Number(process.env.BENCH_SCALE ?? 1)));

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: new DropExporter() })] }).getTracer('bench');

function attributes(n: number): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (let i = 0; i < n; i++) out[`llm.input_messages.${i}.message.content`] = i % 2 === 0 ? 19 : 'Hello there! How can I help you today?';
  return out;
}

async function usPerSpan(attrs: Record<string, string | number>): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < SPANS; i++) {
    const span = tracer.startSpan('chat gpt-4o-mini', { kind: SpanKind.CLIENT });
    await context.with(trace.setSpan(context.active(), span), () => Promise.resolve());
    span.setAttributes(attrs);
    span.end();
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / SPANS;
}

async function main(): Promise<void> {
  const counts = [0, 12, 30];
  const sets = counts.map(attributes);
  const samples = counts.map(() => [] as number[]);
  for (const attrs of sets) await usPerSpan(attrs);
  for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < sets.length; i++) samples[i].push(await usPerSpan(sets[i]));
  console.log(JSON.stringify(Object.fromEntries(counts.map((n, i) => [`attributes${n}UsPerSpan`, round(median(samples[i]), 2)]))));
}

void main();
