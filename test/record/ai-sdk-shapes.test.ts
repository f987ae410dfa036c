import { expect } from 'chai';
import { aiSdkProvider, aiSdkSystem, aiSdkUsage, modelMessages, outputMessage } from '../../lib/record/ai-sdk-shapes';

/** The AI SDK shape readers shared by the ai 7 channel adapter and the ai 5/6 span mapper. */
describe('AI SDK shapes', () => {
  describe('aiSdkProvider (provider id → llm.provider)', () => {
    const cases: Array<[unknown, string, string]> = [
      ['openai.chat', 'openai', 'openai'],
      ['openai.responses', 'openai', 'openai'],
      ['anthropic.messages', 'anthropic', 'anthropic'],
      ['google.generative-ai', 'google', 'vertexai'],
      ['google-vertex.chat', 'google', 'vertexai'],
      ['xai.chat', 'xai', 'xai'],
      ['mistral.chat', 'mistralai', 'mistralai'],
      ['amazon-bedrock', 'aws', 'amazon'],
      ['azure.chat', 'azure', 'openai'],
      ['groq.chat', 'groq', 'groq'],
      ['', 'unknown', 'unknown'],
      [undefined, 'unknown', 'unknown'],
      [42, 'unknown', 'unknown'],
    ];
    for (const [id, provider, system] of cases) {
      it(`${JSON.stringify(id)} → ${provider} (${system})`, () => {
        expect(aiSdkProvider(id)).to.equal(provider);
        expect(aiSdkSystem(aiSdkProvider(id))).to.equal(system);
      });
    }
  });

  describe('aiSdkUsage', () => {
    it("ai 7 provider usage: totals, cache read/write, reasoning", () => {
      expect(aiSdkUsage({ inputTokens: { total: 312, noCache: 12, cacheRead: 200, cacheWrite: 100 }, outputTokens: { total: 9, text: 7, reasoning: 2 } })).to.deep.equal({
        prompt: 312,
        completion: 9,
        cacheRead: 200,
        cacheWrite: 100,
        reasoning: 2,
      });
    });
    it("the SDK's usage (ai 6/7) and ai 5's flat fields", () => {
      expect(aiSdkUsage({ inputTokens: 19, outputTokens: 10, totalTokens: 29, inputTokenDetails: { cacheReadTokens: 4 }, outputTokenDetails: { reasoningTokens: 2 } })).to.deep.equal({
        prompt: 19,
        completion: 10,
        total: 29,
        cacheRead: 4,
        reasoning: 2,
      });
      expect(aiSdkUsage({ promptTokens: 5, completionTokens: 6, cachedInputTokens: 1, reasoningTokens: 3 })).to.deep.equal({ prompt: 5, completion: 6, cacheRead: 1, reasoning: 3 });
      expect(aiSdkUsage({ tokens: 3 })).to.deep.equal({ prompt: 3 });
    });
    it('ignores what is not a count', () => {
      expect(aiSdkUsage({ inputTokens: NaN, outputTokens: '7', totalTokens: -1 })).to.deep.equal({});
      expect(aiSdkUsage(null)).to.deep.equal({});
      expect(aiSdkUsage('x')).to.deep.equal({});
    });
  });

  describe('modelMessages', () => {
    it('instructions, text, images, tool calls and one tool message per result', () => {
      const messages = modelMessages('Be brief', [
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', image: 'aGVsbG8=', mediaType: 'image/png' }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'look', input: { q: 1 } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'look', output: { type: 'json', value: { a: 1 } } }, { type: 'tool-result', toolCallId: 'c2', output: { type: 'text', value: 'ok' } }] },
      ]);
      expect(messages).to.deep.equal([
        { role: 'system', content: 'Be brief' },
        { role: 'user', parts: [{ type: 'text', text: 'What is this?' }, { type: 'image', imageUrl: 'data:image/png;base64,aGVsbG8=' }] },
        { role: 'assistant', toolCalls: [{ id: 'c1', name: 'look', arguments: '{"q":1}' }] },
        { role: 'tool', content: '{"a":1}', toolCallId: 'c1' },
        { role: 'tool', content: 'ok', toolCallId: 'c2' },
      ]);
    });
    it('system messages as instructions; malformed entries are skipped, never thrown on', () => {
      expect(modelMessages([{ role: 'system', content: 'A' }, { role: 'system', content: 'B' }], [null, 3, { role: 'user', content: 'hi' }, { role: 'user', content: [null, 'x'] }])).to.deep.equal([
        { role: 'system', content: 'A\nB' },
        { role: 'user', content: 'hi' },
        { role: 'user' },
      ]);
      expect(modelMessages(undefined, 'not a list')).to.deep.equal([]);
    });
  });

  describe('outputMessage', () => {
    it('content parts: reasoning stays a part beside the text', () => {
      expect(outputMessage([{ type: 'reasoning', text: 'hmm' }, { type: 'text', text: 'Hi' }])).to.deep.equal({
        role: 'assistant',
        parts: [{ type: 'reasoning', text: 'hmm' }, { type: 'text', text: 'Hi' }],
      });
    });
    it("ai 5/6 spans' separate text and tool calls", () => {
      expect(outputMessage(undefined, 'Let me check.', [{ toolCallId: 'c1', toolName: 'w', input: '{"city":"Paris"}' }])).to.deep.equal({
        role: 'assistant',
        content: 'Let me check.',
        toolCalls: [{ id: 'c1', name: 'w', arguments: '{"city":"Paris"}' }],
      });
    });
    it('nothing to show: undefined', () => {
      expect(outputMessage([])).to.equal(undefined);
      expect(outputMessage(undefined, '', undefined)).to.equal(undefined);
    });
  });
});
