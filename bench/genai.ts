/**
 * What the GenAI conventions and metrics cost per call (run by bench/run.ts; prints JSON). CPU µs per call
 * of what `LlmCall` does when a call ends, from a record like a real chat call's:
 * - start: the attributes a span starts with, before and now (default);
 * - render: the plain OpenInference renderer (the code before GenAI existed), the same through the
 *   conventions switch with the default (what every call pays now), with `gen_ai` added, `gen_ai` alone;
 * - metrics: recording the GenAI client metrics into a real MeterProvider (the default, with no
 *   MeterProvider, pays one `undefined` test: nothing to time).
 */
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { CallRecord, createCallRecord } from '../lib/record/call-record';
import { resolveTraceConfig } from '../lib/masking/trace-config';
import { renderCallRecord } from '../lib/semconv/render';
import { renderInConventions, startAttributes } from '../lib/semconv/genai-conventions';
import { DEFAULT_CONVENTIONS } from '../lib/config/semconv';
import { OI } from '../lib/semconv/attributes';
import { genAiMetricsFor } from '../lib/semconv/genai-meter';
import { median, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Math.max(5000, Math.round(50_000 * Number(process.env.BENCH_SCALE ?? 1)));

function chatRecord(): CallRecord {
  const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
  record.requestModel = 'gpt-4o-mini';
  record.responseModel = 'gpt-4o-mini-2024-07-18';
  record.responseId = 'chatcmpl-123';
  record.server = { address: 'api.openai.com', port: 443 };
  record.invocationParameters = { model: 'gpt-4o-mini', temperature: 0.2, max_tokens: 200 };
  record.inputMessages = [
    { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
    { role: 'user', content: 'What is the capital of France, and why is it famous?' },
  ];
  record.outputMessages = [{ role: 'assistant', content: 'Paris. It is famous for the Eiffel Tower, the Louvre and its cafés.' }];
  record.finishReason = 'stop';
  record.usage = { prompt: 19, completion: 10, total: 29, cacheRead: 4 };
  record.latencyMs = 412.5;
  return record;
}

class NullReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const config = resolveTraceConfig({}, {});
const record = chatRecord();
const meterMetrics = genAiMetricsFor(new MeterProvider({ readers: [new NullReader()] }).getMeter('bench'))!;
let sink = 0;

const cases: Record<string, () => void> = {
  // The span's start attributes: the literal object of the code before, and the conventions' default now.
  startBefore: () => void (sink += Object.keys({ [OI.OPENINFERENCE_SPAN_KIND]: record.kind, [OI.LLM_PROVIDER]: record.provider }).length),
  startDefault: () => void (sink += Object.keys(startAttributes(record, DEFAULT_CONVENTIONS)).length),
  renderOpenInferenceOnly: () => void (sink += Object.keys(renderCallRecord(record, config)).length),
  renderDefault: () => void (sink += Object.keys(renderInConventions(record, config, { openInference: true, genAi: false })).length),
  renderWithGenAi: () => void (sink += Object.keys(renderInConventions(record, config, { openInference: true, genAi: true })).length),
  renderGenAiOnly: () => void (sink += Object.keys(renderInConventions(record, config, { openInference: false, genAi: true })).length),
  metricsToMeterProvider: () => meterMetrics.record(record),
};

function usPerCall(fn: () => void): number {
  const cpu = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) fn();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / CALLS;
}

function main(): void {
  const names = Object.keys(cases);
  for (const name of names) usPerCall(cases[name]);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  // Interleaved rounds: load from other processes lands on every case alike.
  for (let r = 0; r < ROUNDS; r++) for (const name of names) samples[name].push(usPerCall(cases[name]));
  const out: Record<string, number> = {};
  for (const name of names) out[`${name}UsPerCall`] = round(median(samples[name]), 2);
  out.attributesDefault = Object.keys(renderInConventions(record, config, { openInference: true, genAi: false })).length;
  out.attributesWithGenAi = Object.keys(renderInConventions(record, config, { openInference: true, genAi: true })).length;
  if (sink < 0) process.stderr.write('');
  console.log(JSON.stringify(out));
}

main();
