/**
 * What tracing adds to a LlamaIndex.TS query (the lead wires it into bench/run.ts as section `llamaindex`;
 * prints JSON): a RetrieverQueryEngine over an in-memory VectorStoreIndex of three documents, with the real
 * OpenAI and OpenAIEmbedding classes answered by an in-process `fetch` (no socket), so that only LlamaIndex,
 * the `openai` SDK and the tracing are timed. One query = the CHAIN, RETRIEVER, EMBEDDING and LLM spans.
 * Two methods, named beside each figure (docs/performance.md): *vs none*, fresh processes with our build
 * against fresh processes that never load it (what a short-lived process pays), and *paired*, the
 * instrumentation switched off and on between batches inside one warmed process (AB/BA crossovers).
 *
 * Standalone: `npx tsc -p tsconfig.build.json && node --import tsx bench/llamaindex.ts`.
 */
import { execFileSync } from 'node:child_process';
import { loadOurInstrumentation, setUpBenchTracing } from './bench-child';
import type { CountingExporter, Switchable } from './drop-exporter';
import { median, medianOfCrossovers, medianOverhead, round, table } from './stats';

type Variant = 'none' | 'ours';
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Math.max(4, Number(process.env.BENCH_ROUNDS ?? 9) * 2);
const GENERATIONS = Number(process.env.BENCH_LLAMAINDEX_PROCESSES ?? 3);
const QUERIES = Math.max(50, Math.round(200 * SCALE));
const WARMUP = Math.max(200, Math.round(600 * SCALE));

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

/** The OpenAI API's answers, by path: one-hot embeddings by keyword (exact scores), a recorded chat completion. */
const fakeFetch: typeof fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const body = JSON.parse(String(init?.body ?? '{}')) as { input?: string | string[] };
  if (url.endsWith('/embeddings')) {
    const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
    const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: text.includes('Bananas') ? [0, 1, 0] : [1, 0, 0] }));
    return json({ object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 8, total_tokens: 8 } });
  }
  return json({
    id: 'chatcmpl-bench', object: 'chat.completion', created: 1741569952, model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Infinium traces calls.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
  });
};

/** The tracing pipeline, and for `ours` the built instrumentation, before LlamaIndex is loaded, as an app has it. */
function setUp(variant: Variant): { exporter: CountingExporter; instrumentation?: Switchable } {
  const { exporter, provider } = setUpBenchTracing((span) => span.attributes['openinference.span.kind'] === 'LLM');
  if (variant === 'none') return { exporter };
  // The entry (TypeScript written with `import`) counts as ESM: the hook the nested `openai` needs is registered at start.
  return { exporter, instrumentation: loadOurInstrumentation(provider, { providers: ['openai', 'llamaindex'] }) };
}

interface ChildFigures {
  /** CPU µs per query, each batch. */
  rounds: number[];
  /** On minus off, each round (ours only). */
  paired: number[];
  spansPerQuery: number;
  llmSpansPerQuery: number;
}

async function child(variant: Variant): Promise<ChildFigures> {
  const { exporter, instrumentation } = setUp(variant);
  const { Document, Settings, VectorStoreIndex } = require('llamaindex');
  const { OpenAI, OpenAIEmbedding } = require('@llamaindex/openai');
  const session = { apiKey: 'sk-bench', baseURL: 'https://api.openai.com/v1', maxRetries: 0, additionalSessionOptions: { fetch: fakeFetch } };
  Settings.llm = new OpenAI({ ...session, model: 'gpt-4o-mini' });
  Settings.embedModel = new OpenAIEmbedding({ ...session, model: 'text-embedding-3-small' });
  const texts = ['Infinium traces LLM calls.', 'Bananas are yellow.', 'Infinium exports spans over OTLP.'];
  const index = await VectorStoreIndex.fromDocuments(texts.map((text) => new Document({ text })));
  const engine = index.asQueryEngine({ similarityTopK: 2 });
  const batch = async (n: number): Promise<number> => {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await engine.query({ query: 'What does Infinium do?' });
    const used = process.cpuUsage(start);
    return (used.user + used.system) / n;
  };
  await batch(WARMUP);
  const before = { spans: exporter.spans, llm: exporter.counted };
  const rounds: number[] = [];
  const paired: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (!instrumentation) {
      rounds.push(await batch(QUERIES));
      continue;
    }
    // AB/BA: even rounds off then on, odd rounds on then off.
    const order = r % 2 === 0 ? [false, true] : [true, false];
    const timed: Record<string, number> = {};
    for (const on of order) {
      if (on) instrumentation.enable();
      else instrumentation.disable();
      timed[String(on)] = await batch(QUERIES);
    }
    instrumentation.enable();
    rounds.push(timed.true);
    paired.push(timed.true - timed.false);
  }
  const onQueries = QUERIES * ROUNDS;
  return { rounds, paired, spansPerQuery: (exporter.spans - before.spans) / onQueries, llmSpansPerQuery: (exporter.counted - before.llm) / onQueries };
}

export interface LlamaIndexFigures {
  settings: { rounds: number; processes: number; queries: number; warmup: number; node: string };
  none: { cpuUsPerQuery: number };
  ours: { cpuUsPerQuery: number; vsNoneUs: number; pairedUs: number; spansPerQuery: number; llmSpansPerQuery: number };
}

function parent(): LlamaIndexFigures {
  const runs: Record<Variant, ChildFigures[]> = { none: [], ours: [] };
  for (let g = 0; g < GENERATIONS; g++) {
    for (const variant of (g % 2 === 0 ? ['none', 'ours'] : ['ours', 'none']) as Variant[]) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, 'child', variant], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      runs[variant].push(JSON.parse(out.trim().split('\n').pop()!) as ChildFigures);
    }
  }
  const all = (v: Variant) => runs[v].flatMap((r) => r.rounds);
  return {
    settings: { rounds: ROUNDS, processes: GENERATIONS, queries: QUERIES, warmup: WARMUP, node: process.version },
    none: { cpuUsPerQuery: round(median(all('none'))) },
    ours: {
      cpuUsPerQuery: round(median(all('ours'))),
      vsNoneUs: round(medianOverhead(all('ours'), all('none'))),
      pairedUs: round(medianOfCrossovers(runs.ours.flatMap((r) => r.paired))),
      spansPerQuery: round(median(runs.ours.map((r) => r.spansPerQuery)), 2),
      llmSpansPerQuery: round(median(runs.ours.map((r) => r.llmSpansPerQuery)), 2),
    },
  };
}

/** The section's lines in the `npm run bench` report. */
export function reportLlamaIndex(f: LlamaIndexFigures | { skipped: string }): string[] {
  if ('skipped' in f) return ['== LlamaIndex.TS', `skipped: ${f.skipped}`];
  return [
    `== LlamaIndex.TS: CPU µs per RetrieverQueryEngine query (retrieval + embedding + chat, in-process fetch; median; Node ${f.settings.node})`,
    '+vs none = over processes that never load the instrumentation; paired = off/on batches in one warmed process (crossovers)',
    table(
      ['variant', 'CPU µs/query', '+vs none', '+paired', 'spans/query', 'LLM spans/query'],
      [
        ['none', f.none.cpuUsPerQuery, '-', '-', 0, 0],
        ['ours', f.ours.cpuUsPerQuery, f.ours.vsNoneUs, f.ours.pairedUs, f.ours.spansPerQuery, f.ours.llmSpansPerQuery],
      ],
    ),
  ];
}

if (require.main === module) {
  if (process.argv[2] === 'child') {
    child(process.argv[3] as Variant).then(
      (figures) => {
        console.log(JSON.stringify(figures));
        process.exit(0);
      },
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  } else {
    const figures = parent();
    console.error(reportLlamaIndex(figures).join('\n'));
    console.log(JSON.stringify(figures));
  }
}
