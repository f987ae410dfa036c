import { expect } from 'chai';
import type { Span } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InfiniumSpanProcessor, InfiniumSpanProcessorOptions } from '../../lib/processor/span-processor';
import { createTracing } from '../helpers/tracing';

/* The set-up the span-processor-*.test.ts files share: a processor on a fresh pipeline, and a span by name. */

export const byName = (spans: ReadableSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).to.have.length(1);
  return found[0];
};

/** A processor (default: service `svc`) in front of an in-memory exporter, a foreign tracer, and a root-span runner. */
export function setup(options: InfiniumSpanProcessorOptions = { serviceName: 'svc' }) {
  const processor = new InfiniumSpanProcessor(options);
  const tracing = createTracing([processor]);
  const tracer = tracing.provider.getTracer('foreign');
  /** Runs `fn` under a root span that ends when it settles. */
  const inRoot = <T>(fn: (root: Span) => T | Promise<T>, name = 'root') =>
    tracer.startActiveSpan(name, async (root) => {
      try {
        return await fn(root);
      } finally {
        root.end();
      }
    });
  return { processor, tracing, tracer, inRoot };
}

export type ProcessorSetup = ReturnType<typeof setup>;

/** `track(setup(...))` in a test: the processor is shut down after each test of the calling describe. */
export function trackProcessors(): (s: ProcessorSetup) => ProcessorSetup {
  const made: InfiniumSpanProcessor[] = [];
  const track = (s: ReturnType<typeof setup>) => (made.push(s.processor), s);
  afterEach(async () => {
    for (const p of made.splice(0)) await p.shutdown();
  });
  return track;
}
