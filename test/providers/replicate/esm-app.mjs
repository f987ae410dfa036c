// An ESM app with the import-in-the-middle hook registered before the instrumentation, importing
// `@google-cloud/vertexai` and `replicate` by name (both CommonJS packages, loaded through Node's
// CJS-from-ESM path). Both SDKs call the fake server at FAKE_LLM_ORIGIN; it prints the results and spans as JSON.
import { startEsmAppTracing } from '../../helpers/esm-app-tracing.mjs';

const { exporter, provider, instrumentation } = await startEsmAppTracing();

const origin = process.env.FAKE_LLM_ORIGIN;
const host = new URL(origin).host;
// Vertex AI's SDK always calls https://{apiEndpoint}: its requests to the fake's address go to it over http.
const fetchOriginal = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  return url.protocol === 'https:' && url.host === host ? fetchOriginal(`${origin}${url.pathname}${url.search}`, init) : fetchOriginal(input, init);
};
console.warn = () => undefined; // the Vertex SDK's deprecation notice

const { VertexAI } = await import('@google-cloud/vertexai');
const { default: Replicate } = await import('replicate');

const authClient = { getAccessToken: async () => ({ token: 'esm-token' }), getRequestHeaders: async () => ({ Authorization: 'Bearer esm-token' }) };
const vertex = new VertexAI({ project: 'p', location: 'us-central1', apiEndpoint: host, googleAuthOptions: { authClient } });
const model = vertex.getGenerativeModel({ model: 'gemini-2.0-flash' });
const generated = await model.generateContent('Say hello');
// startChat() without a request does not pass apiEndpoint on to the session (the SDK's own behaviour).
const chat = model.startChat({});
const streamed = await chat.sendMessageStream('Tell a story');
let story = '';
for await (const chunk of streamed.stream) story += chunk.candidates[0].content.parts[0].text;

const replicate = new Replicate({ auth: 'r8_esm', baseUrl: `${origin}/v1` });
const ran = await replicate.run('meta/meta-llama-3-8b-instruct', { input: { prompt: 'Say hello' } });
let events = '';
for await (const event of replicate.stream('meta/meta-llama-3-8b-instruct', { input: { prompt: 'Tell a story' } })) if (event.event === 'output') events += event.data;

// disable() puts back every method and the accessor of the ESM copies; enable() traces again.
const { GenerativeModel, ChatSession } = await import('@google-cloud/vertexai');
const patched = () => [
  ...['generateContent', 'generateContentStream'].map((m) => GenerativeModel.prototype[m].__wrapped === true),
  ...['sendMessage', 'sendMessageStream'].map((m) => ChatSession.prototype[m].__wrapped === true),
  ...['run', 'stream', 'wait'].map((m) => Replicate.prototype[m].__wrapped === true),
  Object.getOwnPropertyDescriptor(Replicate.prototype, 'predictions') !== undefined,
];
const ours = () => exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === '@infinium/otel').length;
const before = ours();
instrumentation.disable();
const disabled = { patched: patched(), ranWhileDisabled: (await new Replicate({ auth: 'r8_esm', baseUrl: `${origin}/v1` }).run('meta/meta-llama-3-8b-instruct', { input: { prompt: 'Say hello' } })).join('') };
await model.generateContent('Say hello');
await replicate.predictions.create({ model: 'meta/meta-llama-3-8b-instruct', input: { prompt: 'x' }, wait: true });
disabled.spans = ours() - before;
instrumentation.enable();
await model.generateContent('Say hello');
await new Replicate({ auth: 'r8_esm', baseUrl: `${origin}/v1` }).predictions.create({ model: 'meta/meta-llama-3-8b-instruct', input: { prompt: 'x' }, wait: true });
const reenabled = { patched: patched(), spans: ours() - before };

await provider.forceFlush();
const spans = exporter.getFinishedSpans().map((s) => ({ name: s.name, scope: s.instrumentationScope.name, status: s.status.code, attributes: s.attributes }));
const results = { vertex: generated.response.candidates[0].content.parts[0].text, vertexStream: story, replicate: ran.join(''), replicateStream: events };
console.log(JSON.stringify({ results, spans: spans.slice(0, 4), disabled, reenabled }));
