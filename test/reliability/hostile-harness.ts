import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { llmSpans, type TestTracing } from '../helpers/tracing';
import { heapUsedAfterGc, outcomeOf, sameWithAndWithout } from './harness';
import { otlpBytes } from './sizes-helpers';

const MB = 1024 * 1024;

/** The event loop must never wait for our work much past ~100 ms; the margin is for a busy machine. */
const MAX_END_MS = 250;

/** 2,000 characters of text: one hostile chunk's payload. */
export const PIECE = 'abcdefghij'.repeat(200);

/** How many choices, blocks or tool calls a hostile stream opens, each at a new index. */
export const INDEXES = 3000;

/** What a reader keeps of each (lib/config/record-limits.ts), and so what the markers must count. */
export const KEPT = 128;

/**
 * What the heap holds just before a stream's last chunk (after full GCs), over what it held before the call:
 * everything the reader kept alive while the stream ran.
 */
export class HeapProbe {
  private readonly base = heapUsedAfterGc();
  growthMb = 0;
  /** How long the stream's end took (its last `next()`: our reader's output and the span's attributes with us). */
  endMs = 0;
  mark(): void {
    this.growthMb = (heapUsedAfterGc() - this.base) / MB;
  }
}

/** Reads an SDK stream to its end as an app does, marking the probe before the last of `count` chunks. */
export async function readAll(stream: AsyncIterable<unknown>, count: number, probe: HeapProbe): Promise<number> {
  let read = 0;
  let last = 0;
  for await (const _ of stream) {
    read++;
    if (read === count - 1) probe.mark();
    last = performance.now();
  }
  probe.endMs = performance.now() - last;
  return read;
}

export interface HostileResult {
  span: ReadableSpan;
  /** Heap growth while the stream ran: with us, and without. */
  traced: number;
  plain: number;
}

/**
 * Runs `scenario` with our instrumentation and without it (the app must get the same), and checks what
 * every hostile call must give: one span, ended OK, under 1 MB as OTLP, and a heap that grew by less than
 * `maxGrowthMb` while the stream ran. `expected`: the outcome the app must get, for an SDK that
 * `disable()` does not unpatch (cohere-ai's chatStream), which is then run traced only.
 */
export async function runHostile(
  instrumentation: InfiniumInstrumentation,
  tracing: TestTracing,
  scenario: (probe: HeapProbe) => Promise<unknown>,
  options: { maxGrowthMb?: number; expected?: unknown } = {},
): Promise<HostileResult> {
  const probes: HeapProbe[] = [];
  const measured = () => {
    const probe = new HeapProbe();
    probes.push(probe);
    return scenario(probe);
  };
  let outcome: unknown;
  let spans: ReadableSpan[];
  if (options.expected === undefined) {
    ({ outcome, spans } = await sameWithAndWithout(instrumentation, tracing, measured));
  } else {
    tracing.reset();
    outcome = await outcomeOf(measured);
    spans = llmSpans(await tracing.spans());
    expect(outcome).to.deep.equal({ value: options.expected });
  }
  expect(outcome).to.have.property('value');
  expect(spans).to.have.length(1);
  const [span] = spans;
  expect(span.ended).to.equal(true);
  expect(span.status.code).to.equal(SpanStatusCode.OK);
  expect(otlpBytes([span])).to.be.below(MB);
  const [traced, plain = Number.NaN] = probes.map((p) => p.growthMb);
  expect(traced, `heap growth with us (without: ${plain.toFixed(2)} MB)`).to.be.below(options.maxGrowthMb ?? 5);
  // The end was a 1.8 s block on 30,000 indexes before the caps; now it is our reader's 128 at most.
  expect(probes[0].endMs, 'ms the stream end took with us').to.be.below(MAX_END_MS);
  if (process.env.HOSTILE_VERBOSE) {
    console.log(`    heap growth: ${traced.toFixed(2)} MB with us, ${plain.toFixed(2)} MB without; end ${probes[0].endMs.toFixed(1)} ms with us, ${probes[1]?.endMs.toFixed(1)} ms without`);
  }
  return { span, traced, plain };
}

/** The output-side markers a span carries. */
export function omitted(span: ReadableSpan): Record<string, unknown> {
  const a = span.attributes;
  return {
    messages: a['infinium.output_messages.omitted'],
    parts: a['infinium.output_parts.omitted'],
    toolCalls: a['infinium.tool_calls.omitted'],
  };
}

/** The token counts a span carries (OpenInference and Infinium keys). */
export function tokens(span: ReadableSpan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    if (key.startsWith('llm.token_count.') || key === 'llm.prompt_tokens' || key === 'llm.completion_tokens') out[key] = value;
  }
  return out;
}
