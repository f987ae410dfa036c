import type { Agents } from './suite';

export const CANNED_MODEL = 'canned-model-1';

/**
 * A model of the app's own (as a provider adapter is): no OpenAI client of ours under it, so nothing of ours
 * claims its request, and the SDK's generation span it opens, with model, messages and usage in its data,
 * is what the bridge renders as the request's LLM span. It answers `text` to whatever it is asked.
 */
export function cannedModel(agents: Agents, text: string, question: string) {
  return {
    async getResponse() {
      return agents.withGenerationSpan(async (span) => {
        span.spanData.model = CANNED_MODEL;
        span.spanData.input = [{ role: 'user', content: question }];
        span.spanData.output = [{ id: 'canned-1', model: CANNED_MODEL, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] }];
        span.spanData.usage = { input_tokens: 7, output_tokens: 3, total_tokens: 10, input_tokens_details: { cached_tokens: 2 }, output_tokens_details: { reasoning_tokens: 1 } };
        return {
          usage: new agents.Usage({ requests: 1, input_tokens: 7, output_tokens: 3, total_tokens: 10 }),
          output: [{ type: 'message' as const, role: 'assistant' as const, status: 'completed' as const, content: [{ type: 'output_text' as const, text }] }],
          responseId: 'canned-1',
        };
      });
    },
    async *getStreamedResponse(): AsyncIterable<never> {
      throw new Error('not used');
    },
  };
}
