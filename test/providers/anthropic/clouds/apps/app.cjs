// A CommonJS app: the plain Anthropic SDK required before the cloud SDKs, after them, or not at all (argv[2]).
const order = process.argv[2];
const sdks = {};
if (order === 'before') sdks.Anthropic = require('@anthropic-ai/sdk').Anthropic;
sdks.AnthropicVertex = require('@anthropic-ai/vertex-sdk').AnthropicVertex;
sdks.AnthropicBedrock = require('@anthropic-ai/bedrock-sdk').AnthropicBedrock;
if (order === 'none') sdks.Together = require('together-ai').Together;
if (order === 'after') sdks.Anthropic = require('@anthropic-ai/sdk').Anthropic;
require('./calls.cjs').run(sdks);
