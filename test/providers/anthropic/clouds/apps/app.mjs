// An ESM app: the same, each SDK's ESM build imported.
const order = process.argv[2];
const sdks = {};
if (order === 'before') sdks.Anthropic = (await import('@anthropic-ai/sdk')).default;
sdks.AnthropicVertex = (await import('@anthropic-ai/vertex-sdk')).AnthropicVertex;
sdks.AnthropicBedrock = (await import('@anthropic-ai/bedrock-sdk')).AnthropicBedrock;
if (order === 'none') sdks.Together = (await import('together-ai')).default;
if (order === 'after') sdks.Anthropic = (await import('@anthropic-ai/sdk')).default;
// Both copies of the SDK's resources (the app's, the Bedrock SDK's nested one), as the ESM builds loaded them.
const { createRequire } = await import('node:module');
const nested = createRequire(createRequire(import.meta.url).resolve('@anthropic-ai/bedrock-sdk')).resolve('@anthropic-ai/sdk/resources/index').replace(/\.js$/, '.mjs');
const resources = [await import('@anthropic-ai/sdk/resources/index'), await import(nested)];
const { run } = await import('./calls.cjs');
await run(sdks, resources);
