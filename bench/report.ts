/**
 * The text report of `npm run bench` (bench/run.ts): one block per section of results.json, headline first.
 */
import { reportVectorStores } from './vector-stores';
import { reportLlamaIndex } from './llamaindex';
import { reportViewer } from './viewer';
import type { SdkFigures } from './sdk-bench';
import { reportBedrockCohere } from './bedrock-cohere';
import { LangChainFigures, reportLangChain } from './langchain';
import { reportMcp } from './mcp';
import { reportAgents } from './agents';
import { costReport } from './cost-report';
import { FreshFigures, reportFresh } from './fresh';
import { reportStartup, StartupFigures } from './startup';
import { table } from './stats';
import type { ProviderKey, VariantKey } from './variant';

export function report(results: Record<string, unknown>, settings: { rounds: number; generations: number }): string {
  const ROUNDS = settings.rounds;
  const GENERATIONS = settings.generations;
  const out: string[] = [];
  for (const f of (results.freshLines as Array<FreshFigures | { skipped: string }> | undefined) ?? []) out.push('', ...reportFresh(f));
  if (results.fresh) out.push('', ...reportFresh(results.fresh as FreshFigures));
  if (results.startup) out.push('', ...reportStartup(results.startup as StartupFigures | { skipped: string }));
  const sdk = results.sdk as Partial<Record<ProviderKey, SdkFigures>>;
  for (const [provider, figures] of Object.entries(sdk)) {
    out.push(
      '',
      `== DIAGNOSTIC (paired, in-process; not the headline) ${provider}: CPU µs per call (median of ${ROUNDS} interleaved rounds over ${GENERATIONS} processes per variant)`,
      '+µs = what the instrumentation adds, on minus off in its own process, back to back (median of the averages of two rounds, off-on and on-off);',
      '+µs vs none = over the uninstrumented process; GC µs, promoted and allocated bytes per call over all rounds;',
      'ratio = +µs ÷ the best content-recording peer\'s',
    );
    if ('skipped' in figures) {
      out.push(`skipped: ${figures.skipped}`);
      continue;
    }
    const rows: Array<Array<string | number>> = [];
    const variants = Object.keys(figures.scenarios.chat?.variants ?? {}) as VariantKey[];
    for (const variant of variants) {
      for (const scenario of ['chat', 'stream'] as const) {
        const v = figures.scenarios[scenario]?.variants[variant];
        if (!v) continue;
        rows.push([
          variant,
          scenario,
          v.usPerCall,
          v.overheadUs ?? '-',
          v.overheadVsNoneUs ?? '-',
          v.gcUsPerCall,
          v.promotedBytesPerCall,
          v.allocatedBytesPerCall,
          `${v.youngGcs}/${v.fullGcs}`,
          v.ratioToBestPeer ?? '-',
          v.ratioVsNoneToBestPeer ?? '-',
        ]);
      }
    }
    out.push(table(['variant', 'call', 'µs', '+µs', '+µs vs none', 'GC µs', 'promoted B', 'allocated B', 'GCs y/full', 'ratio', 'ratio vs none'], rows));
    for (const scenario of ['chat', 'stream'] as const) {
      const s = figures.scenarios[scenario];
      if (s?.bestPeer) {
        out.push(
          `${scenario}: ours/best peer = ${s.ratioContentOn} with content (best recording content: ${s.bestPeer}), ` +
            `${s.ratioContentOff} without (best of all: ${s.bestPeerAny}); over the none process: ${s.vsNone?.ratioContentOn} and ` +
            `${s.vsNone?.ratioContentOff}; target <= 0.5`,
        );
      }
    }
  }
  if (results.langchain) out.push(...reportLangChain(results.langchain as LangChainFigures, ROUNDS, GENERATIONS));
  if (results.bedrockCohere) out.push(reportBedrockCohere(results.bedrockCohere as Parameters<typeof reportBedrockCohere>[0]));
  const processor = results.processor as ProcessorFigures | { skipped: string } | undefined;
  if (processor) {
    out.push('', '== span processor: CPU ns per span (median of rounds); extra = with - without InfiniumSpanProcessor');
    if ('skipped' in processor) out.push(`skipped: ${processor.skipped}`);
    else {
      out.push(
        table(
          ['span', 'without ns', 'with ns', 'extra ns'],
          (['plain', 'genai'] as const).map((k) => [k === 'plain' ? 'plain (non-AI)' : `foreign GenAI -> ${processor.genai.convertedTo}`, processor[k].withoutProcessorNsPerSpan, processor[k].withProcessorNsPerSpan, processor[k].extraNsPerSpan]),
        ),
        `plain span: +${processor.plain.extraUsPerSpan} µs per span (target <= 1 µs)`,
      );
    }
  }
  const attributeCost = results.attributeCost as Record<string, number> | undefined;
  if (attributeCost && !('skipped' in attributeCost)) {
    out.push(
      '',
      '== OpenTelemetry SDK alone: CPU µs per CLIENT span with N attributes (start, context, set, end, export)',
      table(['attributes', 'µs per span'], [0, 12, 30].map((n) => [n, attributeCost[`attributes${n}UsPerSpan`]])),
    );
  }
  if (results.genai) out.push('', ...genAiReport(results.genai as Record<string, number>));
  if (results.cost) out.push('', ...costReport(results.cost as Record<string, number>));
  if (results.mcp) out.push('', ...reportMcp(results.mcp as Record<string, unknown>));
  if (results.agents) out.push('', ...reportAgents(results.agents as Record<string, unknown>));
  if (results['vector-stores']) out.push('', ...reportVectorStores(results['vector-stores'] as Record<string, unknown>));
  if (results.llamaindex) out.push('', ...reportLlamaIndex(results.llamaindex as Parameters<typeof reportLlamaIndex>[0]));
  if (results.viewer) out.push('', ...reportViewer(results.viewer as Parameters<typeof reportViewer>[0]));
  const memory = results.memory as MemoryFigures | { skipped: string } | undefined;
  if (memory) {
    out.push('', '== memory (heap used after gc)');
    if ('skipped' in memory) out.push(`skipped: ${memory.skipped}`);
    else {
      const f = memory.finished;
      const u = memory.unended;
      out.push(
        `${f.traces} finished traces: ${f.heapBeforeMb} MB -> ${f.heapAfterMb} MB (growth ${f.growthMb} MB, noise ${f.noiseMb} MB); open traces after: ${f.openTracesAfter}`,
        `${u.roots} never-ended roots: heap +${u.heapMbAfter10k} MB at 10k, +${u.heapMbAfter50k} MB at 50k, +${u.heapMbAfter100k} MB at 100k; traces held: ${u.openTracesAfter} (cap)`,
      );
    }
  }
  out.push('', `written: ${process.env.BENCH_OUT ?? 'bench/results.json'} (${results.durationS} s)`);
  return out.join('\n');
}

interface ProcessorSpanFigures {
  withoutProcessorNsPerSpan: number;
  withProcessorNsPerSpan: number;
  extraNsPerSpan: number;
  extraUsPerSpan: number;
  convertedTo?: string;
}
interface ProcessorFigures {
  plain: ProcessorSpanFigures;
  genai: ProcessorSpanFigures;
}
interface MemoryFigures {
  finished: { traces: number; heapBeforeMb: number; heapAfterMb: number; growthMb: number; noiseMb: number; openTracesAfter: number };
  unended: { roots: number; heapMbAfter10k: number; heapMbAfter50k: number; heapMbAfter100k: number; openTracesAfter: number };
}

/** The lines of bench/genai.ts's section. */
function genAiReport(f: Record<string, number>): string[] {
  if ('skipped' in f) return ['== GenAI conventions', `skipped: ${f.skipped}`];
  return [
    '== GenAI conventions: CPU µs per call to render a chat call (median of rounds)',
    table(
      ['rendering', 'µs per call', 'attributes'],
      [
        ['OpenInference renderer alone (before)', f.renderOpenInferenceOnlyUsPerCall, f.attributesDefault],
        ['default (openinference)', f.renderDefaultUsPerCall, f.attributesDefault],
        ['openinference,gen_ai', f.renderWithGenAiUsPerCall, f.attributesWithGenAi],
        ['gen_ai', f.renderGenAiOnlyUsPerCall, '-'],
      ],
    ),
    `span start attributes: ${f.startBeforeUsPerCall} µs before, ${f.startDefaultUsPerCall} µs now (default)`,
    `GenAI client metrics into a MeterProvider: ${f.metricsToMeterProviderUsPerCall} µs per call (none registered: not recorded)`,
  ];
}
