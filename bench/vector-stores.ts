/**
 * What vector-store tracing costs per query (run by bench/run.ts as section `vector-stores`; prints JSON), on
 * the real SDKs against one local server in this process answering their REST shapes
 * (test/frameworks/vector-stores/fake-stores.ts): a Pinecone `query`, a Qdrant `search`, a Chroma `query` by
 * embedding, each with a 384-dimension query vector and two documents answered. The server's work is in every
 * variant alike. Two methods, named beside each figure (docs/performance.md): *paired*, the instrumentation
 * switched off and on between batches inside one long-warmed process (crossover rounds: the steady state), and
 * *vs none*, the instrumented processes against fresh processes that never load the instrumentation.
 *
 * Standalone: `node --import tsx bench/vector-stores.ts` (parent) or `… child ours pinecone`.
 */
import { FakeStores } from '../test/frameworks/vector-stores/fake-stores';
import { loadOurInstrumentation, medianOfChildren, runBenchScript, setUpBenchTracing } from './bench-child';
import type { CountingExporter, Switchable } from './drop-exporter';
import { median, medianOfCrossovers, round, table } from './stats';

type Variant = 'none' | 'ours' | 'ours-nocontent';
type Store = 'pinecone' | 'qdrant' | 'chroma';
const VARIANTS: Variant[] = ['none', 'ours', 'ours-nocontent'];
const STORES: Store[] = ['pinecone', 'qdrant', 'chroma'];
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Math.max(4, Number(process.env.BENCH_ROUNDS ?? 9) * 2);
const GENERATIONS = Number(process.env.BENCH_VECTOR_PROCESSES ?? 3);
const CALLS = Math.max(50, Math.round(200 * SCALE));
const WARMUP = Math.max(200, Math.round(800 * SCALE));

/** The tracing pipeline and, for ours, the built instrumentation: before the SDK is required, as an app has it. */
function setUp(variant: Variant): { exporter: CountingExporter; instrumentation?: Switchable } {
  const { exporter, provider } = setUpBenchTracing((span) => span.attributes['db.system.name'] !== undefined);
  if (variant === 'none') return { exporter };
  return { exporter, instrumentation: loadOurInstrumentation(provider, { captureContent: variant === 'ours' }) };
}

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
async function queryOf(store: Store, origin: string): Promise<() => Promise<unknown>> {
  const vector = Array.from({ length: 384 }, (_, i) => i / 384);
  if (store === 'pinecone') {
    const { Pinecone } = require('@pinecone-database/pinecone');
    const index = new Pinecone({ apiKey: 'bench' }).index({ name: 'products', host: origin });
    return () => index.query({ topK: 2, vector, includeMetadata: true });
  }
  if (store === 'qdrant') {
    const { QdrantClient } = require('@qdrant/js-client-rest');
    const client = new QdrantClient({ url: origin, checkCompatibility: false });
    return () => client.search('docs', { vector, limit: 2 });
  }
  const { ChromaClient } = require('chromadb');
  const url = new URL(origin);
  const client = new ChromaClient({ host: url.hostname, port: Number(url.port), tenant: 't', database: 'd' });
  const collection: any = await client.getCollection({ name: 'notes', embeddingFunction: { generate: async (t: string[]) => t.map(() => vector) } });
  return () => collection.query({ queryEmbeddings: [vector], nResults: 2 });
}

async function batch(call: () => Promise<unknown>, calls: number): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / calls;
}

/** One variant and store in this process: warm up, then rounds of batches (ours: off and on in crossover order). */
async function child(variant: Variant, store: Store): Promise<Record<string, number>> {
  const { exporter, instrumentation } = setUp(variant);
  const server = await new FakeStores().start();
  const call = await queryOf(store, server.origin);
  await batch(call, WARMUP);
  const on: number[] = [];
  const pairs: number[] = [];
  let spans = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const order = !instrumentation ? [true] : r % 2 === 0 ? [false, true] : [true, false];
    const got: Record<string, number> = {};
    for (const enabled of order) {
      if (instrumentation) enabled ? instrumentation.enable() : instrumentation.disable();
      const before = exporter.counted;
      got[String(enabled)] = await batch(call, CALLS);
      if (enabled) {
        on.push(got.true);
        spans += exporter.counted - before;
      }
    }
    if (got.false !== undefined) pairs.push(got.true - got.false);
  }
  await server.stop();
  const out: Record<string, number> = { cpuUsPerQuery: round(median(on), 2), spansPerQuery: round(spans / (on.length * CALLS), 2) };
  if (pairs.length > 0) out.pairedOverheadUs = round(medianOfCrossovers(pairs), 2);
  return out;
}

/** Fresh processes per variant, interleaved generation by generation; medians across them. */
function parent(): Record<string, unknown> {
  const results: Record<string, unknown> = { calls: CALLS, warmup: WARMUP, rounds: ROUNDS, processesPerVariant: GENERATIONS };
  for (const store of STORES) {
    const of = medianOfChildren(__filename, VARIANTS, GENERATIONS, (variant) => [variant, store]);
    const figures: Record<string, Record<string, number>> = {};
    for (const variant of VARIANTS) {
      figures[variant] = { cpuUsPerQuery: of(variant, 'cpuUsPerQuery'), spansPerQuery: of(variant, 'spansPerQuery') };
      if (variant !== 'none') {
        figures[variant].cpuVsNoneUs = round(figures[variant].cpuUsPerQuery - figures.none.cpuUsPerQuery, 2);
        figures[variant].pairedOverheadUs = of(variant, 'pairedOverheadUs');
      }
    }
    results[store] = figures;
  }
  return results;
}

/** The lines of this section in bench/run.ts's report. */
export function reportVectorStores(results: Record<string, unknown>): string[] {
  if ('skipped' in results) return ['== Vector stores', `skipped: ${String(results.skipped)}`];
  const rows: Array<Array<string | number>> = [];
  for (const store of STORES) {
    const figures = results[store] as Record<Variant, Record<string, number>> | undefined;
    for (const variant of VARIANTS) {
      const f = figures?.[variant];
      if (f) rows.push([store, variant, f.cpuUsPerQuery, f.cpuVsNoneUs ?? '-', f.pairedOverheadUs ?? '-', f.spansPerQuery]);
    }
  }
  return [
    '== Vector stores: CPU µs per query (median; the local server answers in the same process, alike in every variant)',
    '+vs none = over fresh processes without instrumentation; paired = off/on batches in one warmed process (crossovers)',
    table(['store', 'variant', 'CPU µs', '+vs none', '+paired', 'spans/query'], rows),
  ];
}

// bench/run.ts imports reportVectorStores only; run as a script, this measures.
if (require.main === module) runBenchScript(([variant, store]) => child(variant as Variant, store as Store), parent);
