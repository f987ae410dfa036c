import { expect } from 'chai';
import { getEventListeners } from 'node:events';
import type * as GenAI from '@google/genai';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans } from '../helpers/tracing';
import { useProviderSuite } from '../helpers/provider-suite';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { API_KEY, sse, textStream } from '../providers/google/fixtures';

/**
 * An app that passes one long-lived signal (its shutdown controller) to every streamed request: the listener
 * we add to it per stream, to end the span on abort, is removed when the stream stops, so that none pile up
 * on the signal (each holding its watcher) and Node never warns of an EventTarget leak because of us.
 */
describe('stream abort listeners on a long-lived signal', () => {
  let server: FakeLlmServer;
  let ai: GenAI.GoogleGenAI;
  let instrumentation: InfiniumInstrumentation;
  const tracing = createTracing();

  useProviderSuite(
    async (i) => {
      instrumentation = i;
      const genai: typeof GenAI = require('@google/genai');
      server = await startFakeLlmServer();
      ai = new genai.GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: server.origin } });
      return { server };
    },
    { tracing },
  );

  /** The abort listeners left on one signal after `count` streams read to the end, then `count` abandoned at the first chunk. */
  async function listenersLeft(count: number): Promise<number> {
    const controller = new AbortController();
    for (let i = 0; i < 2 * count; i++) {
      server.reply(sse(textStream()));
      const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story', config: { abortSignal: controller.signal } });
      for await (const _chunk of stream) if (i >= count) break;
    }
    return getEventListeners(controller.signal, 'abort').length;
  }

  it('12 streams, 6 read to the end and 6 abandoned: as many listeners left as without the instrumentation, and 12 spans', async () => {
    instrumentation.disable();
    const without = await listenersLeft(6);
    instrumentation.enable();
    const withUs = await listenersLeft(6);
    expect(withUs).to.equal(without);
    expect(llmSpans(await tracing.spans())).to.have.length(12);
  });
});
