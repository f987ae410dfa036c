import { expect } from 'chai';
import { contentToMessages, modelName, readContents, readGeminiTools, readSystemInstruction } from '../../../lib/providers/google/content';
import { readGeminiUsage } from '../../../lib/providers/google/response';

/** The shared Gemini shape readers, on the inputs the SDK tests do not reach. */
describe('google content readers', () => {
  it('never throw on malformed shapes, and read what they can', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const weird: unknown[] = [null, 42, { parts: 'nope' }, { parts: [null, 7, { functionCall: { name: 'f', args: cyclic } }] }, [[]]];
    for (const value of weird) expect(() => readContents(value)).not.to.throw();
    expect(readContents({ parts: [null, 7, { functionCall: { name: 'f', args: cyclic } }] })).to.deep.equal([
      { role: 'user', toolCalls: [{ id: undefined, name: 'f', arguments: undefined }] },
    ]);
    expect(readContents(undefined)).to.deep.equal([]);
    expect(readContents([])).to.deep.equal([]);
    expect(readGeminiUsage('12')).to.equal(undefined);
    expect(readGeminiUsage({ promptTokenCount: '12' })).to.deep.equal({
      prompt: undefined,
      completion: undefined,
      total: undefined,
      cacheRead: undefined,
      reasoning: undefined,
      promptAudio: undefined,
      completionAudio: undefined,
    });
  });

  it('system instruction: a string, a Part, Parts, or a Content', () => {
    const expected = { role: 'system', content: 'Be brief.' };
    expect(readSystemInstruction('Be brief.')).to.deep.equal(expected);
    expect(readSystemInstruction({ text: 'Be brief.' })).to.deep.equal(expected);
    expect(readSystemInstruction([{ text: 'Be ' }, 'brief.'])).to.deep.equal(expected);
    expect(readSystemInstruction({ role: 'user', parts: [{ text: 'Be brief.' }] })).to.deep.equal(expected);
    expect(readSystemInstruction(undefined)).to.equal(undefined);
    expect(readSystemInstruction('')).to.equal(undefined);
  });

  it('a Content with text and function responses splits into a message and tool messages', () => {
    expect(
      contentToMessages({ role: 'function', parts: [{ functionResponse: { name: 'a', response: { ok: 1 } } }, { functionResponse: { name: 'b', response: { ok: 2 } } }] }, 'user'),
    ).to.deep.equal([
      { role: 'tool', name: 'a', toolCallId: undefined, content: '{"ok":1}' },
      { role: 'tool', name: 'b', toolCallId: undefined, content: '{"ok":2}' },
    ]);
  });

  it('usage: tool-use prompt tokens count as prompt, thoughts as completion, AUDIO details', () => {
    expect(
      readGeminiUsage({
        promptTokenCount: 10,
        toolUsePromptTokenCount: 4,
        candidatesTokenCount: 6,
        thoughtsTokenCount: 20,
        totalTokenCount: 40,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 7 }, { modality: 'AUDIO', tokenCount: 3 }],
        candidatesTokensDetails: [{ modality: 'AUDIO', tokenCount: 6 }],
      }),
    ).to.deep.equal({ prompt: 14, completion: 26, total: 40, cacheRead: undefined, reasoning: 20, promptAudio: 3, completionAudio: 6 });
  });

  it('tools: function declarations one by one, built-in tools as they are, callable tools skipped', () => {
    const callable = { tool: async () => ({}), callTool: async () => [] };
    expect(readGeminiTools([{ functionDeclarations: [{ name: 'a' }, { name: 'b' }] }, { googleSearch: {} }, callable])).to.deep.equal([
      '{"name":"a"}',
      '{"name":"b"}',
      '{"googleSearch":{}}',
    ]);
    expect(readGeminiTools(undefined)).to.equal(undefined);
  });

  it('model names lose the models/ prefix only', () => {
    expect(modelName('models/gemini-2.0-flash')).to.equal('gemini-2.0-flash');
    expect(modelName('tunedModels/my-model')).to.equal('tunedModels/my-model');
    expect(modelName('')).to.equal(undefined);
  });
});
