import type * as GenAI from '@google/genai';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { ProviderSuite, useProviderSuite } from '../../helpers/provider-suite';
import { API_KEY } from './fixtures';

export type GenAISuite = ProviderSuite<{ genai: typeof GenAI; server: FakeLlmServer; ai: GenAI.GoogleGenAI }>;

/**
 * The `@google/genai` 2.x suite the genai-*.test.ts files share (useProviderSuite): the SDK required once the
 * instrumentation is on (so the require hook patches it), a fake server and a client on it.
 */
export function useGenAISuite(): GenAISuite {
  return useProviderSuite(async () => {
    const genai: typeof GenAI = require('@google/genai');
    const server = await startFakeLlmServer();
    return { genai, server, ai: new genai.GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: server.origin } }) };
  });
}
