import { ReadableSpan } from '@opentelemetry/sdk-trace';
import { Document } from '@langchain/core/documents';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { BaseRetriever } from '@langchain/core/retrievers';
import { LangChainHandler } from '../../../lib/frameworks/langchain/handler';
import type { CallRuntime } from '../../../lib/instrumentation/llm-call';
import { resolveTraceConfig } from '../../../lib/masking/trace-config';
import { createTracing, useInstrumentation, type TestTracing } from '../../helpers/tracing';

/** What the handler suites share: LangChain fakes built on the real @langchain/core, and one handler per test. */

export class ScriptedChatModel extends BaseChatModel {
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

export class ShelfRetriever extends BaseRetriever {
  override lc_namespace = ['test', 'retrievers'];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    return [
      new Document({ id: 'doc-1', pageContent: `about ${query}`, metadata: { source: 'a.txt', score: 0.9 } }),
      new Document({ pageContent: 'second', metadata: {} }),
    ];
  }
}

export const reply = (content: string) =>
  new AIMessage({
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

export const prompt = () => ChatPromptTemplate.fromMessages([['system', 'You are {role}.'], ['human', 'Tell me about {topic}']]);

export const attr = (span: ReadableSpan, key: string) => span.attributes[key];

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
