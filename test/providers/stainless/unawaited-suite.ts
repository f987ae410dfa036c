import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { ProviderSuite, useProviderSuite } from '../../helpers/provider-suite';
import { createTracing } from '../../helpers/tracing';
import type { StainlessSdk } from './sdks';

/*
 * A call the app never awaits (fire-and-forget logging, moderation, prefetch) is traced like an awaited one:
 * the APIPromise parses lazily, only when someone calls `then`, so the span must not wait for that. Each
 * Stainless SDK we patch, through the real SDK against the local fake: exactly one LLM span, ended once the
 * response arrived, with the output and usage; the same one span when the app awaits later, or asks for
 * `.withResponse()` / `.asResponse()` / `parse()`; and for a failure, the same unhandled rejections as the
 * SDK gives with no instrumentation at all (measured here with the instrumentation disabled).
 *
 * unawaited-answers.test.ts and unawaited-failures.test.ts run these on each SDK; this is the set-up they share.
 */

/** The suite's parts: the fake server and a client of the SDK on it. */
export type UnawaitedSuite = ProviderSuite<{ server: FakeLlmServer; client: any }>;

/** One SDK's suite: the patched SDK, a fake server and a client; before each test, no spans and no requests. */
export function useUnawaitedSuite(sdk: StainlessSdk): UnawaitedSuite {
  // The span processor is in the pipeline, so a second LLM span (Anthropic's own GenAI span) would show.
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  const suite: UnawaitedSuite = useProviderSuite(
    async (instrumentation) => {
      const module = sdk.load(instrumentation);
      const server = await startFakeLlmServer();
      return { server, client: sdk.client(module, server, tracing) };
    },
    { tracing },
  );
  beforeEach(() => {
    suite.server.requests.length = 0;
  });
  return suite;
}
