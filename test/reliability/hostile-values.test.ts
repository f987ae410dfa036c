import { expect } from 'chai';
import { diag, DiagLogLevel, DiagLogger } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { llmSpans } from '../helpers/tracing';
import { useOpenAISuite } from '../providers/openai/client';
import { chatCompletion } from '../providers/openai/fixtures';
import { useAnthropicSuite } from '../providers/anthropic/client';
import { message } from '../providers/anthropic/fixtures';

/** Collects `diag.warn` lines while `fn` runs. */
async function warningsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const logger: DiagLogger = {
    error: () => {},
    warn: (m: string) => void lines.push(m),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  try {
    await fn();
  } finally {
    diag.disable();
  }
  return lines;
}

const tokenKeys = (span: ReadableSpan) =>
  Object.keys(span.attributes).filter((k) => k.startsWith('llm.token_count.') || k === 'llm.prompt_tokens' || k === 'llm.completion_tokens');

describe('reliability: hostile values from the API and the app', () => {
  describe('openai', () => {
    const suite = useOpenAISuite();
    const onlySpan = async () => {
      const spans = llmSpans(await suite.tracing.spans());
      expect(spans).to.have.length(1);
      return spans[0];
    };

    it('token counts of -5, -1e9, 1e300 and 1.8e308 (Infinity once parsed) are left out, with one diag line naming each', async () => {
      const usage = { prompt_tokens: -5, completion_tokens: 1e300, total_tokens: 1.8e308, prompt_tokens_details: { cached_tokens: -1e9 } };
      // The raw text, so that 1.8e308 reaches the SDK as written.
      suite.server.reply({ raw: JSON.stringify(chatCompletion({ usage: 'USAGE' })).replace('"USAGE"', JSON.stringify(usage).replace('null', '1.8e308')) });
      const warnings = await warningsDuring(() => suite.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }));
      const span = await onlySpan();
      expect(tokenKeys(span)).to.deep.equal([]);
      expect(span.attributes['output.value']).to.equal('Hello there!');
      expect(warnings).to.deep.equal([
        '@infinium/otel: token counts left out (not integers from 0 to 1000000000000, or not adding up): prompt -5, completion 1e+300, total Infinity, cacheRead -1000000000',
      ]);
    });

    it('a request body with its own __proto__ key (JSON.parse) sets no prototype and no parameter', async () => {
      suite.server.reply({ json: chatCompletion() });
      const body = JSON.parse('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"__proto__":{"temperature":0.9},"constructor":{"prototype":{"polluted":true}}}');
      await suite.client.chat.completions.create(body);
      const span = await onlySpan();
      expect(span.attributes['llm.temperature']).to.equal(undefined);
      expect(span.attributes['llm.invocation_parameters']).to.equal('{"model":"gpt-4o-mini"}');
      expect(({} as { temperature?: unknown }).temperature).to.equal(undefined);
      expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
      // The SDK still sent the app's body as it was.
      expect(suite.server.requests.at(-1)!.body).to.have.own.property('__proto__');
    });
  });

  describe('anthropic', () => {
    const suite = useAnthropicSuite();

    it('input and cache counts past the bound (1e12) leave them and the prompt count out, with a diag line', async () => {
      const usage = { input_tokens: 9e15, cache_creation_input_tokens: 9e15, cache_read_input_tokens: 0, output_tokens: 9 };
      suite.server.reply({ json: message({ usage }) });
      const warnings = await warningsDuring(() => suite.client.messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }));
      const [span] = llmSpans(await suite.tracing.spans());
      expect(span.attributes['llm.token_count.prompt']).to.equal(undefined);
      expect(span.attributes['llm.prompt_tokens']).to.equal(undefined);
      expect(span.attributes['llm.token_count.completion']).to.equal(9);
      expect(span.attributes['llm.token_count.prompt_details.cache_write']).to.equal(undefined);
      expect(span.attributes['llm.token_count.prompt_details.cache_read']).to.equal(0);
      expect(warnings).to.deep.equal([
        '@infinium/otel: token counts left out (not integers from 0 to 1000000000000, or not adding up): prompt NaN, cacheWrite 9000000000000000',
      ]);
    });
  });
});
