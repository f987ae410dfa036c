import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { CohereClientV2 } from 'cohere-ai';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { llmSpansAfterCollection } from '../../helpers/gc';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { chatStreamEvents, CohereSdk, cohereClient, MODEL } from './fixtures';

describe('cohere-ai chatStream never read', () => {
  const tracing = createTracing();
  let server: FakeLlmServer;
  let client: CohereClientV2;

  before(async function () {
    this.timeout(60_000);
    useInstrumentation(tracing);
    const sdk: CohereSdk = require('cohere-ai');
    server = await startFakeLlmServer();
    client = cohereClient(sdk, server.origin);
  });
  after(() => server.stop());

  it('a stream dropped unread ends its span as abandoned once collected', async function () {
    if (typeof global.gc !== 'function') this.skip();
    server.reply({ sse: chatStreamEvents() });
    await openAndDrop();
    const spans = await llmSpansAfterCollection(tracing);
    expect(spans).to.have.length(1);
    expect(spans[0].status.code).to.equal(SpanStatusCode.UNSET);
    expect(spans[0].events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(spans[0].attributes['llm.model_name']).to.equal(MODEL);
  });

  /** In its own function so that no local of the test keeps the stream reachable. */
  async function openAndDrop(): Promise<void> {
    await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] });
    expect(llmSpans(await tracing.spans())).to.have.length(0);
  }
});
