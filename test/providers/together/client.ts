import { startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, TestTracing } from '../../helpers/tracing';
import { MODEL } from './fixtures';

export const API_KEY = 'sk-test-secret-123';
export const REQUEST = { model: MODEL, messages: [{ role: 'user' as const, content: 'Hi' }] };

/**
 * The together-ai suite: the patched SDK (required after the instrumentation is on), a fake server, and a
 * client on the fake's `/v1`, which is not Together's host: the provider is Together whatever the base URL.
 */
export function useTogetherSuite(tracing: TestTracing = createTracing()) {
  return useProviderSuite(
    async () => {
      const Together = require('together-ai').Together;
      const server = await startFakeLlmServer();
      return { Together, server, client: new Together({ apiKey: API_KEY, baseURL: `${server.origin}/v1`, maxRetries: 0 }) };
    },
    { tracing, resetConfig: true },
  );
}
