import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing } from '../../helpers/tracing';
import { chatCompleteTests } from './chat-complete';
import { chatErrorTests } from './chat-errors';
import { chatStreamTests } from './chat-stream';
import { fimEmbeddingsTests } from './fim-embeddings';
import type { MistralMajor } from './load';
import { API_KEY, type MistralSuite } from './suite-context';

/**
 * The Mistral suite, run against 1.x here (mistral.test.ts) and against 2.x in a child process (v2.suite.ts).
 * Its tests, by concern, are in chat-complete.ts, chat-stream.ts, chat-errors.ts and fim-embeddings.ts.
 */
export function describeMistral(load: (instrumentation: InfiniumInstrumentation) => Promise<MistralMajor>): void {
  describe(`@mistralai/mistralai ${load.name === 'loadMistralV1' ? '1.x (CommonJS)' : '2.x (ESM)'}`, () => {
    const suite: MistralSuite = useProviderSuite(
      async (instrumentation) => {
        const major = await load(instrumentation);
        const server = await startFakeLlmServer();
        return { major, server, client: new major.Mistral({ apiKey: API_KEY, serverURL: server.origin }) };
      },
      { tracing: createTracing([new InfiniumSpanProcessor()]), resetConfig: true },
    );

    chatCompleteTests(suite);
    chatStreamTests(suite);
    chatErrorTests(suite);
    fimEmbeddingsTests(suite);
  });
}
