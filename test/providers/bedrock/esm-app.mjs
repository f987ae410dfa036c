// An ESM app with the import-in-the-middle hook registered before the instrumentation, importing the
// Bedrock and Cohere SDKs by name (both are CommonJS packages, loaded through Node's CJS-from-ESM path).
// Answers come from in-process handlers; it prints the LLM spans as JSON.
import { startEsmAppTracing } from '../../helpers/esm-app-tracing.mjs';

const { exporter, provider } = await startEsmAppTracing();

const { CohereClientV2 } = await import('cohere-ai');
const { BedrockRuntime, BedrockRuntimeClient, ConverseCommand } = await import('@aws-sdk/client-bedrock-runtime');
const { HttpResponse } = await import('@smithy/core/protocols');

const cohereBody = { id: '1', finish_reason: 'COMPLETE', message: { role: 'assistant', content: [{ type: 'text', text: 'hi' }] }, usage: { billed_units: { input_tokens: 3, output_tokens: 1 } } };
const cohere = new CohereClientV2({ token: 'x', fetch: async () => new Response(JSON.stringify(cohereBody), { headers: { 'content-type': 'application/json' } }) });
await cohere.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] });

const converseBody = new TextEncoder().encode(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn', usage: { inputTokens: 2, outputTokens: 1 } }));
const config = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDESM', secretAccessKey: 'esm-secret' },
  requestHandler: { handle: async () => ({ response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: converseBody }) }) },
};
const request = { modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
await new BedrockRuntimeClient(config).send(new ConverseCommand(request));
await new BedrockRuntime(config).converse(request);

await provider.forceFlush();
const spans = exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === '@infinium/otel');
console.log(JSON.stringify(spans.map((s) => [s.name, s.attributes['llm.provider'], s.attributes['llm.token_count.prompt']])));
