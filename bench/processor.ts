/**
 * The span processor's cost per span, in its own process (run by bench/run.ts; prints JSON):
 * the same spans through a provider with and without InfiniumSpanProcessor, interleaved rounds, CPU time.
 * - plain: a non-AI span (an HTTP-like child under an open root): the processor should cost almost nothing;
 * - genai: a foreign OTel GenAI chat span that the processor converts to OpenInference + Infinium.
 */
import path from 'node:path';
import { Attributes, ROOT_CONTEXT, trace, Tracer } from '@opentelemetry/api';
import { SimpleSpanProcessor, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { DropExporter } from './drop-exporter';
import { median, medianOverhead, round } from './stats';

const { InfiniumSpanProcessor } = require(path.resolve(__dirname, '..', 'dist', 'index.js'));

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SPANS_PER_BATCH = Math.max(1000, Math.round(50_000 * SCALE));

const PLAIN: Attributes = { 'http.request.method': 'GET', 'http.route': '/users/:id', 'http.response.status_code': 200 };
const GENAI: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.request.temperature': 0.2,
  'gen_ai.usage.input_tokens': 19,
  'gen_ai.usage.output_tokens': 10,
  'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Say hello and offer help.' }] }]),
  'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Hello there! How can I help?' }], finish_reason: 'stop' }]),
};

interface Pipeline {
  tracer: Tracer;
  exporter: DropExporter;
}

function pipeline(withProcessor: boolean): Pipeline {
  const exporter = new DropExporter();
  const processors: SpanProcessor[] = withProcessor ? [new InfiniumSpanProcessor()] : [];
  processors.push(new SimpleSpanProcessor({ exporter }));
  return { tracer: new TracerProvider({ spanProcessors: processors }).getTracer('bench'), exporter };
}

/** SimpleSpanProcessor holds each span until its export promise settles: let them settle now and then. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * CPU ns per span: `n` spans, 100 per trace, under a root that ends after its spans (so the processor
 * sees an open trace, and forgets it at the root's end).
 */
async function timeSpans(p: Pipeline, attributes: Attributes, n: number): Promise<number> {
  const cpu = process.cpuUsage();
  for (let done = 0; done < n; done += 100) {
    const root = p.tracer.startSpan('request');
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    for (let i = 0; i < 100; i++) p.tracer.startSpan('work', { attributes }, ctx).end();
    root.end();
    await settle();
  }
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / n;
}

async function measure(attributes: Attributes): Promise<Record<string, unknown>> {
  const without = pipeline(false);
  const withIt = pipeline(true);
  for (const p of [without, withIt]) await timeSpans(p, attributes, SPANS_PER_BATCH);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first.
    if (r % 2 === 0) {
      a.push(await timeSpans(without, attributes, SPANS_PER_BATCH));
      b.push(await timeSpans(withIt, attributes, SPANS_PER_BATCH));
    } else {
      b.push(await timeSpans(withIt, attributes, SPANS_PER_BATCH));
      a.push(await timeSpans(without, attributes, SPANS_PER_BATCH));
    }
  }
  withIt.tracer.startSpan('probe', { attributes }).end();
  const converted = withIt.exporter.last?.attributes['openinference.span.kind'];
  return {
    withoutProcessorNsPerSpan: round(median(a)),
    withProcessorNsPerSpan: round(median(b)),
    extraNsPerSpan: round(medianOverhead(b, a)),
    extraUsPerSpan: round(medianOverhead(b, a) / 1000, 3),
    ...(attributes === GENAI ? { convertedTo: converted ?? null } : {}),
  };
}

async function main(): Promise<void> {
  const plain = await measure(PLAIN);
  const genai = await measure(GENAI);
  console.log(JSON.stringify({ spansPerBatch: SPANS_PER_BATCH, plain, genai }));
}

void main();
