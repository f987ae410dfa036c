/* eslint-disable @typescript-eslint/no-require-imports */
import path from 'node:path';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type * as AgentsModule from '@openai/agents';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { ProviderSuite, useProviderSuite } from '../../helpers/provider-suite';
import { createTracing } from '../../helpers/tracing';

/**
 * The OpenAI Agents SDK tests' set-up: the real `@openai/agents` loaded after the process-wide
 * instrumentation is on (its require hooks patch the SDK and the `openai` client it depends on), a fake
 * OpenAI server the SDK's default client talks to, a trace processor of the app's own recording what the
 * SDK hands its processors, and a guard that fails any request leaving the machine (the SDK's OpenAI
 * trace exporter included).
 */
export type Agents = typeof AgentsModule;
export const API_KEY = 'sk-test-secret-123';
export const REQUEST_MODEL = 'gpt-4.1';

/** What the SDK handed the app's own trace processor, one line per event, in order. */
export class RecordingProcessor {
  readonly events: string[] = [];
  async onTraceStart(trace: { name: string }): Promise<void> {
    this.events.push(`trace_start ${trace.name}`);
  }
  async onTraceEnd(trace: { name: string }): Promise<void> {
    this.events.push(`trace_end ${trace.name}`);
  }
  async onSpanStart(span: { spanData: { type: string; name?: string } }): Promise<void> {
    this.events.push(`start ${describe(span)}`);
  }
  async onSpanEnd(span: { spanData: { type: string; name?: string } }): Promise<void> {
    this.events.push(`end ${describe(span)}`);
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
  /** The span types the SDK started, in order. */
  started(): string[] {
    return this.events.filter((e) => e.startsWith('start ')).map((e) => e.slice(6));
  }
}

function describe(span: { spanData: { type: string; name?: string } }): string {
  return span.spanData.name ? `${span.spanData.type} ${span.spanData.name}` : span.spanData.type;
}

/** Our pipeline's spans started and not yet ended: a span that never ends stays here. */
export class OpenSpans implements SpanProcessor {
  readonly open = new Set<Span>();
  onStart(span: Span): void {
    this.open.add(span);
  }
  onEnd(span: ReadableSpan): void {
    this.open.delete(span as Span);
  }
  names(): string[] {
    return [...this.open].map((s) => s.name);
  }
  forceFlush = () => Promise.resolve();
  shutdown = () => Promise.resolve();
}

/** Every URL fetched that was not the fake server's: must stay empty. */
export class NetworkGuard {
  readonly outside: string[] = [];
  private original: typeof fetch | undefined;
  install(): void {
    this.original = globalThis.fetch;
    const original = this.original;
    globalThis.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(url).hostname !== '127.0.0.1') {
        this.outside.push(url);
        return Promise.reject(new Error(`test network guard: ${url} refused`));
      }
      return original(input, init);
    };
  }
  restore(): void {
    if (this.original) globalThis.fetch = this.original;
  }
}

/** The `openai` client package the SDK itself depends on (not necessarily this repository's own). */
function openaiOfTheSdk(): new (options: Record<string, unknown>) => unknown {
  const agentsOpenai = path.dirname(require.resolve('@openai/agents-openai'));
  const openai = require(require.resolve('openai', { paths: [agentsOpenai] }));
  return openai.OpenAI ?? openai.default;
}

export interface AgentsParts {
  server: FakeLlmServer;
  agents: Agents;
  recorder: RecordingProcessor;
  openSpans: OpenSpans;
  guard: NetworkGuard;
  /** Points the SDK's default client at the fake server again (after a test replaced it). */
  useFakeClient(): void;
  /** The weather tool of the tests: `sunny in <city>`, throws for Atlantis. */
  weatherTool(): ReturnType<Agents['tool']>;
  /** The SDK's trace processors back to the defaults (its OpenAI exporter) plus the recorder. */
  restoreProcessors(): void;
}

export type AgentsSuite = ProviderSuite<AgentsParts>;

const SAVED_ENV = ['OPENAI_API_KEY', 'OPENAI_AGENTS_DISABLE_TRACING', 'OPENAI_BASE_URL'] as const;

/**
 * One set of parts for every agents test file: the SDK's default model provider keeps the first client it
 * got for the whole process, so every file's runs must go to the same fake server. It stops (and the
 * environment and `fetch` are put back) after the last test of the run.
 */
let shared: Promise<AgentsParts> | undefined;
const savedEnv: Partial<Record<string, string>> = {};

async function makeParts(openSpans: OpenSpans): Promise<AgentsParts> {
  // No tracing API key anywhere: the SDK's OpenAI exporter then skips its exports (the guard checks it does).
  for (const name of SAVED_ENV) {
    savedEnv[name] = process.env[name];
    delete process.env[name];
  }
  const guard = new NetworkGuard();
  guard.install();
  const agents = require('@openai/agents') as Agents;
  const server = await startFakeLlmServer();
  const OpenAI = openaiOfTheSdk();
  const useFakeClient = () => {
    const client = new OpenAI({ apiKey: API_KEY, baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
    agents.setDefaultOpenAIClient(client as Parameters<Agents['setDefaultOpenAIClient']>[0]);
  };
  useFakeClient();
  const recorder = new RecordingProcessor();
  agents.addTraceProcessor(recorder);
  const restoreProcessors = () => {
    agents.setDefaultOpenAITracingExporter();
    agents.addTraceProcessor(recorder);
  };
  const weatherTool = () =>
    agents.tool({
      name: 'get_weather',
      description: 'The weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
      execute: async (input: unknown) => {
        const { city } = input as { city: string };
        if (city === 'Atlantis') throw new Error('no weather station in Atlantis');
        return `sunny in ${city}`;
      },
    });
  return { server, agents, recorder, openSpans, guard, useFakeClient, weatherTool, restoreProcessors };
}

// A root hook: after every test file of the run.
after(async () => {
  if (!shared) return;
  const parts = await shared;
  await parts.server.stop();
  parts.guard.restore();
  for (const name of SAVED_ENV) if (savedEnv[name] !== undefined) process.env[name] = savedEnv[name];
});

/** The one pipeline of the agents tests (the shared parts' OpenSpans watches it). */
const sharedOpenSpans = new OpenSpans();
const sharedTracing = createTracing([sharedOpenSpans]);

export function useAgentsSuite(): AgentsSuite {
  const suite = useProviderSuite<AgentsParts>(() => (shared ??= makeParts(sharedOpenSpans)), {
    tracing: sharedTracing,
    resetConfig: true,
    setUpTimeoutMs: 60_000,
    tearDown: async () => {},
  });
  beforeEach(() => {
    suite.server.requests.length = 0;
    suite.recorder.events.length = 0;
    suite.openSpans.open.clear();
    suite.agents.setOpenAIAPI('responses');
  });
  afterEach(async () => {
    // The SDK's own exporter flushed: with no tracing key it sends nothing, and nothing else left either.
    await suite.agents.getGlobalTraceProvider().forceFlush();
    if (suite.guard.outside.length) throw new Error(`requests left the machine: ${suite.guard.outside.join(', ')}`);
  });
  return suite;
}
