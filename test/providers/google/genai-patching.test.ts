import { expect } from 'chai';
import { pathToFileURL } from 'node:url';
import type * as GenAI from '@google/genai';
import { llmSpans } from '../../helpers/tracing';
import { API_KEY, generateContentResponse } from './fixtures';
import { useGenAISuite } from './genai-suite';

/** How the SDK is patched: disable() and enable() on existing clients, the ESM copy of `Models`. */
describe('google @google/genai', () => {
  const suite = useGenAISuite();
  const { tracing, onlySpan } = suite;

  it('disable() stops tracing existing clients, enable() resumes it', async () => {
    suite.server.reply({ json: generateContentResponse() });
    suite.instrumentation.disable();
    try {
      const result = await suite.ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'x' });
      expect(result.text).to.equal('Hello there!');
      expect(llmSpans(await tracing.spans())).to.have.length(0);
    } finally {
      suite.instrumentation.enable();
    }
    await suite.ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'x' });
    await new suite.genai.GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: suite.server.origin } }).models.generateContent({ model: 'gemini-2.0-flash', contents: 'y' });
    expect(llmSpans(await tracing.spans())).to.have.length(2);
  });

  it('ESM: the separate ESM copy of Models is patched through the module namespace', async () => {
    const entry = require.resolve('@google/genai').replace(/index\.cjs$/, 'index.mjs');
    const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<typeof GenAI>;
    const esm = await importEsm(pathToFileURL(entry).href);
    expect(esm.Models).not.to.equal(suite.genai.Models);
    suite.instrumentation.manuallyInstrument(esm);
    suite.server.reply({ json: generateContentResponse() });
    const client = new esm.GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: suite.server.origin } });
    await client.models.generateContent({ model: 'gemini-2.0-flash', contents: 'from ESM' });
    const span = await onlySpan();
    expect(span.attributes['llm.input_messages.0.message.content']).to.equal('from ESM');
  });
});
