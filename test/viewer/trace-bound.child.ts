/**
 * Run by trace-bound.test.ts under Node 22 (node:sqlite): a store in memory holding one trace of 600
 * spans, many starting in the same millisecond, stored in reverse order (so that start order and storage
 * order differ), and what traceJson answers for it under the bounds the test passes as JSON in argv[2].
 */
import { decodeJson } from '../../lib/viewer/otlp-decode';
import { TraceStore } from '../../lib/viewer/store';
import { MAX_TRACE_BYTES, MAX_TRACE_SPANS, traceJson } from '../../lib/viewer/trace-json';
import { jsonRequest } from './otlp-requests';

const TRACE = 'b0'.repeat(16);
const SPANS = 600;
const base = 1_700_000_000_000;
const id = (n: number): string => n.toString(16).padStart(16, '0');
const spans = [];
for (let i = SPANS; i >= 1; i--) {
  spans.push({ traceId: TRACE, spanId: id(i), parentSpanId: i === 1 ? undefined : id(1), name: `s${i}`, startMs: base + Math.floor(i / 7) });
}
const store = new TraceStore(':memory:');
store.ingest([decodeJson(Buffer.from(JSON.stringify(jsonRequest('bound', spans)))).spans]);
const bounds = JSON.parse(process.argv[2]) as Array<[number, number]>;
const answers = bounds.map(([maxSpans, maxBytes]) => JSON.parse(traceJson(store.db, TRACE, maxSpans, maxBytes)!));
process.stdout.write(JSON.stringify({ defaults: [MAX_TRACE_SPANS, MAX_TRACE_BYTES], unknown: traceJson(store.db, 'c0'.repeat(16)), answers }));
store.close();
