import type { FakeLlmServer } from '../../helpers/fake-llm-server';
import type { ProviderSuite } from '../../helpers/provider-suite';
import type { MistralMajor } from './load';

/** What each group of the Mistral suite's tests (suite.ts) gets: the major under test, its fake server and a client on it. */
export type MistralSuite = ProviderSuite<{ major: MistralMajor; server: FakeLlmServer; client: any }>;

/* The requests the groups send. */
export const API_KEY = 'sk-test-secret-123';
export const TOOL = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};
export const MESSAGES = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Weather in Paris?' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
  { role: 'tool', toolCallId: 'call_0', name: 'get_weather', content: '18°C' },
];
export const SHORT = { model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Weather in Paris?' }] };
