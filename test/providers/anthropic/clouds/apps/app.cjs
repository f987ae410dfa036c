// A CommonJS app: the plain Anthropic SDK required before the cloud SDKs, after them, or not at all (argv[2]).
const order = process.argv[2];
const sdks = {};
if (order === 'before') sdks.Anthropic = require('@anthropic-ai/sdk').Anthropic;
sdks.AnthropicVertex = require('@anthropic-ai/vertex-sdk').AnthropicVertex;
sdks.AnthropicBedrock = require('@anthropic-ai/bedrock-sdk').AnthropicBedrock;
if (order === 'none') sdks.Together = require('together-ai').Together;
if (order === 'after') sdks.Anthropic = require('@anthropic-ai/sdk').Anthropic;
// Both copies of the SDK's resources: the app's, and the Bedrock SDK's nested one.
const nested = require.resolve('@anthropic-ai/sdk/resources/index', { paths: [require('node:path').dirname(require.resolve('@anthropic-ai/bedrock-sdk'))] });
require('./calls.cjs').run(sdks, [require('@anthropic-ai/sdk/resources/index'), require(nested)]);
