/**
 * An ESM app on the three SDKs of this adapter set, for test/providers/mistral/esm-hook.test.ts: it
 * registers import-in-the-middle's hook and the instrumentation, then imports `@mistralai/mistralai` 2.x
 * (ESM-only), `groq-sdk` and `ollama` (their ESM builds), and makes one call of each kind.
 */
import tracing from '../../fixtures/app-tracing.cjs';
import { startEsmAppTracing } from '../../helpers/esm-app-tracing.mjs';

const origin = process.env.FAKE_LLM_ORIGIN;
const { exporter, provider } = await startEsmAppTracing();

const { Mistral } = await import('@mistralai/mistralai');
const { default: Groq } = await import('groq-sdk');
const { Ollama } = await import('ollama');

const mistral = new Mistral({ apiKey: 'sk-child', serverURL: origin });
const messages = [{ role: 'user', content: 'Hi' }];
const results = {};
results.mistral = (await mistral.chat.complete({ model: 'mistral-small-latest', messages })).choices[0].message.content;
results.mistralStreamed = '';
for await (const event of await mistral.chat.stream({ model: 'mistral-small-latest', messages })) {
  results.mistralStreamed += event.data.choices[0]?.delta?.content ?? '';
}
results.mistralEmbeddings = (await mistral.embeddings.create({ model: 'mistral-embed', inputs: ['alpha', 'beta'] })).data.length;
results.fim = (await mistral.fim.complete({ model: 'codestral-latest', prompt: 'def add(a, b):' })).choices[0].message.content;
const groq = new Groq({ apiKey: 'sk-child', baseURL: origin, maxRetries: 0 });
results.groq = (await groq.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages })).choices[0].message.content;
results.ollama = (await new Ollama({ host: origin }).chat({ model: 'llama3.2', messages })).message.content;

await tracing.report(provider, exporter, results);
