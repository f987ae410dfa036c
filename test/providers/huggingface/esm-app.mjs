/**
 * An ESM app on `@huggingface/inference` 4.x, for esm.test.ts: import-in-the-middle's hook (told about the
 * package's task files, as the instrumentation's own hook is), the instrumentation, then the package's ESM
 * build, called as functions and as `InferenceClient` methods. With HF_OWN_HOOK=0 the app registers no hook
 * itself: the instrumentation's own loader hook (INFINIUM_ESM_HOOK) must do it.
 */
import filesModule from '../../../dist/providers/huggingface/files.js';
import tracing from '../../fixtures/app-tracing.cjs';
import { startEsmAppTracing } from '../../helpers/esm-app-tracing.mjs';

const origin = process.env.FAKE_LLM_ORIGIN;
const { exporter, provider, instrumentation } = await startEsmAppTracing({
  hook: process.env.HF_OWN_HOOK !== '0',
  include: filesModule.HUGGINGFACE_ESM_FILES,
});

const hf = await import('@huggingface/inference');
const endpoint = { endpointUrl: `${origin}/v1`, model: 'tgi' };
const messages = [{ role: 'user', content: 'Hi' }];
const client = new hf.InferenceClient('', { endpointUrl: `${origin}/v1` });
const results = {};
results.chat = (await hf.chatCompletion({ ...endpoint, messages })).choices[0].message.content;
results.clientChat = (await client.chatCompletion({ model: 'tgi', messages })).choices[0].message.content;
results.streamed = '';
for await (const chunk of client.chatCompletionStream({ model: 'tgi', messages })) results.streamed += chunk.choices[0]?.delta?.content ?? '';
results.generated = (await hf.textGeneration({ endpointUrl: origin, model: 'tgi', inputs: 'Once upon' })).generated_text;
// The hub and the router reached through the fake (its origin swapped in): `auto` routing picks the provider
// on the client, which only the wrapped innerStreamingRequest sees.
const viaFake = (input, init) => {
  const url = new URL(String(input));
  return fetch(new URL(url.pathname + url.search, origin), init);
};
results.autoStreamed = '';
for await (const event of hf.textGenerationStream({ model: 'gpt2', inputs: 'Capital?', accessToken: 'hf_esm_test' }, { fetch: viaFake })) {
  if (!event.token.special) results.autoStreamed += event.token.text;
}
results.dimensions = (await client.endpoint(`${origin}/pipeline/feature-extraction`).featureExtraction({ inputs: 'alpha' })).length;
instrumentation.disable();
results.restored = hf.chatCompletion.__original === undefined;
await hf.chatCompletion({ ...endpoint, messages });
await client.chatCompletion({ model: 'tgi', messages });
instrumentation.enable();
results.rewrapped = typeof hf.chatCompletion.__original === 'function';
results.again = (await hf.chatCompletion({ ...endpoint, messages })).choices[0].message.content;
await tracing.report(provider, exporter, results);
