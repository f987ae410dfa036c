// An ESM app: the same, each SDK's ESM build imported.
const order = process.argv[2];
const sdks = {};
if (order === 'before') sdks.Anthropic = (await import('@anthropic-ai/sdk')).default;
sdks.AnthropicVertex = (await import('@anthropic-ai/vertex-sdk')).AnthropicVertex;
sdks.AnthropicBedrock = (await import('@anthropic-ai/bedrock-sdk')).AnthropicBedrock;
if (order === 'none') sdks.Together = (await import('together-ai')).default;
if (order === 'after') sdks.Anthropic = (await import('@anthropic-ai/sdk')).default;
const { run } = await import('./calls.cjs');
await run(sdks);
