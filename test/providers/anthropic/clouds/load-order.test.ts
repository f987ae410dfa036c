import { expect } from 'chai';
import path from 'node:path';
import { ensureBuilt, runChildApp } from '../../../helpers/child-app';
import { bedrockEvents, FakeClouds, startFakeClouds } from './fake-clouds';
import { bedrockMessage, vertexMessage } from './fixtures';
import { message, textStream } from '../fixtures';
import { chatCompletion } from '../../together/fixtures';

const APPS = path.join(__dirname, 'apps');

/** Two calls through each cloud (one streamed), and one plain call when the app loads the plain SDK. */
const CLOUD_SPANS = [
  ['chat claude-sonnet-4-5@20250929', 'anthropic', 'google', 321],
  ['chat claude-sonnet-4-5@20250929', 'anthropic', 'google', 10],
  ['chat anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic', 'aws', 321],
  ['chat anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic', 'aws', 10],
];
const PLAIN_SPAN = ['chat claude-sonnet-4-6', 'anthropic', 'anthropic', 321];
/** The app without the plain SDK also calls together-ai (its ESM build in the ESM app). */
const TOGETHER_SPAN = ['chat llama', 'openai', 'together', 19];

/**
 * Apps in child processes, from the built package, with the span processor and the SDKs' own tracing on:
 * exactly one OpenInference span per request, and the root's call count exact, whether the plain Anthropic SDK is loaded before the cloud
 * SDKs, after them or not at all, in a CommonJS app and in an ESM app (each SDK's ESM build).
 */
describe('Claude on Vertex and Bedrock in an app (child process, built package)', function () {
  this.timeout(180_000);
  let server: FakeClouds;

  before(async () => {
    await ensureBuilt();
    server = await startFakeClouds();
    server.handle((request) => {
      if (request.path.endsWith(':rawPredict')) return { json: vertexMessage() };
      if (request.path.endsWith(':streamRawPredict')) return { sse: textStream() };
      if (request.path.endsWith('/invoke')) return { json: bedrockMessage() };
      if (request.path === '/v1/chat/completions') return { json: chatCompletion() };
      return { json: message() };
    });
    server.eventStream({ events: bedrockEvents(textStream()), onlyPath: /\/invoke-with-response-stream$/ });
  });
  after(() => server.stop());

  for (const app of ['app.cjs', 'app.mjs']) {
    for (const order of ['none', 'before', 'after']) {
      it(`${app}, the plain SDK loaded ${order === 'none' ? 'not at all' : `${order} the cloud SDKs`}`, async () => {
        const { report } = await runChildApp<{ rootCount: number; wrapDepths: number[]; spans: unknown[] }>(path.join(APPS, app), {
          nodeArgs: ['--require', path.join(APPS, 'setup.cjs')],
          args: [order],
          env: { FAKE_ORIGIN: server.origin, ANTHROPIC_API_KEY: '', INFINIUM_CONSOLE: '' },
        });
        expect(report.spans).to.deep.equal([...CLOUD_SPANS, order === 'none' ? TOGETHER_SPAN : PLAIN_SPAN]);
        // The SDKs' own spans (children of ours) are not counted: five requests, five calls.
        expect(report.rootCount).to.equal(5);
        // create and stream of Messages and Beta.Messages, in the app's copy and the Bedrock SDK's: each wrapped once.
        expect(report.wrapDepths).to.deep.equal([1, 1, 1, 1, 1, 1, 1, 1]);
      });
    }
  }
});
