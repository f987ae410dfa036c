import type ReplicateClass from 'replicate';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing } from '../../helpers/tracing';
import { useProviderSuite } from '../../helpers/provider-suite';
import { API_TOKEN } from './fixtures';

/**
 * The set-up every Replicate suite shares, as mocha hooks of the calling `describe`: the real SDK loaded once
 * the instrumentation is on, a fake server (its requests cleared before each test), the default config
 * before each test; `client()` a client of the fake, `answerInTurn` answers each request in turn (the last
 * one again once they run out).
 */
export function useReplicateSuite() {
  const tracing = createTracing();
  const suite = useProviderSuite(async () => ({ Replicate: require('replicate') as typeof ReplicateClass, server: await startFakeLlmServer() }), { tracing, resetConfig: true });
  beforeEach(() => suite.server.requests.splice(0));
  return {
    suite,
    tracing,
    client: () => new suite.Replicate({ auth: API_TOKEN, baseUrl: `${suite.server.origin}/v1` }),
    answerInTurn(...responses: Array<Parameters<FakeLlmServer['reply']>[0]>): void {
      let i = 0;
      suite.server.handle(() => responses[Math.min(i++, responses.length - 1)]);
    },
  };
}
