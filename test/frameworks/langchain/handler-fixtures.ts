// First: LangChain (and the SDKs under it) loaded after the instrumentation is on (langchain-modules.ts).
import { lc } from './langchain-modules';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Document } from '@langchain/core/documents';
import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { LangChainHandler } from '../../../lib/frameworks/langchain/handler';
import type { CallRuntime } from '../../../lib/instrumentation/llm-call';
import { resolveTraceConfig } from '../../../lib/masking/trace-config';
import { createTracing, useInstrumentation, type TestTracing } from '../../helpers/tracing';
import { childrenOf, kindOf } from './e2e/tree';

/**
 * The handler's suites turn the process-wide instrumentation off (`useHandler`): its own handler would see
 * every run too.
 */
export { lc };

/** What the handler suites share: LangChain fakes built on the real @langchain/core, and one handler per test. */

export class ScriptedChatModel extends lc.chatModels.BaseChatModel {
  private next = 0;
  constructor(private readonly replies: AIMessage[]) {
    super({});
  }
  _llmType(): string {
    return 'scripted';
  }
  async _generate(_messages: BaseMessage[]): Promise<ChatResult> {
    const message = this.replies[this.next++ % this.replies.length];
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
  override bindTools(tools: unknown[]): this {
    return this.withConfig({ tools } as never) as never;
  }
}

export class FailingChatModel extends ScriptedChatModel {
  override async _generate(): Promise<ChatResult> {
    throw new TypeError('model down');
  }
}

export class ShelfRetriever extends lc.retrievers.BaseRetriever {
  override lc_namespace = ['test', 'retrievers'];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    return [
      new lc.documents.Document({ id: 'doc-1', pageContent: `about ${query}`, metadata: { source: 'a.txt', score: 0.9 } }),
      new lc.documents.Document({ pageContent: 'second', metadata: {} }),
    ];
  }
}

export const reply = (content: string) =>
  new lc.messages.AIMessage({
    content,
    response_metadata: { model_name: 'scripted-2025-01-01', finish_reason: 'stop' },
    usage_metadata: {
      input_tokens: 11,
      output_tokens: 7,
      total_tokens: 18,
      input_token_details: { cache_read: 3 },
      output_token_details: { reasoning: 2 },
    },
  });

export const prompt = () => lc.prompts.ChatPromptTemplate.fromMessages([['system', 'You are {role}.'], ['human', 'Tell me about {topic}']]);

export const attr = (span: ReadableSpan, key: string) => span.attributes[key];

/**
 * The spans as an outline (`name KIND`, two spaces a level) with each span's children in name order: an
 * unclaimed model run's LLM span starts at the run's start read on the performance clock, which can sort it
 * before or after a sibling started on the span clock in the same millisecond.
 */
export function nameOutline(spans: ReadableSpan[], under?: ReadableSpan): string[] {
  const lines: string[] = [];
  const walk = (span: ReadableSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${span.name} ${kindOf(span)}`);
    const children = childrenOf(spans, span).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) walk(child, depth + 1);
  };
  for (const root of under ? [under] : childrenOf(spans, undefined)) walk(root, 0);
  return lines;
}

export interface HandlerSuite {
  tracing: TestTracing;
  runtime: CallRuntime;
  handler: LangChainHandler;
}

/** A fresh in-memory pipeline, runtime and handler for each test of the calling suite. */
export function useHandler(): HandlerSuite {
  const suite = {} as HandlerSuite;
  before(() => {
    // The process-wide instrumentation (other suites enable it) would add its own handler to every run.
    useInstrumentation().instrumentation.disable();
  });
  beforeEach(() => {
    suite.tracing = createTracing();
    suite.runtime = { tracer: suite.tracing.provider.getTracer('@infinium/otel'), traceConfig: resolveTraceConfig({}, {}) };
    suite.handler = new LangChainHandler(suite.runtime);
  });
  return suite;
}
