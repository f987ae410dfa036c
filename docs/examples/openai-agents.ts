/**
 * One OpenAI Agents SDK run with a tool call and a handoff, traced with no code of ours in the app
 * (docs/frameworks/openai-agents.md). It starts a local stand-in for the Responses API (no key, no network),
 * runs a triage agent that calls get_weather, then hands off to a French agent, and prints the answer; the
 * register entry prints the trace:
 *
 *   npm run build
 *   OTEL_SERVICE_NAME=weather-app OTEL_TRACES_EXPORTER=none INFINIUM_CONSOLE=tree \
 *     node --import tsx --require @infinium/otel/register docs/examples/openai-agents.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, run, setDefaultOpenAIClient, setTraceProcessors, tool } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';

async function main(): Promise<void> {
  const responses = await startFakeResponsesApi();
  // `as never`: this repository's `openai` need not be the version the SDK depends on; any client does here.
  setDefaultOpenAIClient(new OpenAI({ apiKey: 'demo-key', fetch: responses.fetch }) as never);
  keepTracesLocal();

  const getWeather = tool({
    name: 'get_weather',
    description: 'The current weather of a city.',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => `Sunny and 21°C in ${city}.`,
  });
  const french = new Agent({ name: 'French agent', instructions: 'Answer in French.', model: 'gpt-4.1' });
  const triage = new Agent({ name: 'Triage', instructions: '…', model: 'gpt-4.1', tools: [getWeather], handoffs: [french] });
  const result = await run(triage, 'What is the weather in Paris?');

  console.log(result.finalOutput);
  responses.close();
}

/** The SDK's own exporter to OpenAI removed: the traces go only where OpenTelemetry sends them. */
function keepTracesLocal(): void {
  setTraceProcessors([]); // removes OpenAI's exporter (and any processor added before)
}

/**
 * A stand-in for the Responses API: the first request gets a call of get_weather, the second a call of the
 * handoff's tool, the third (to the French agent) the answer. The client keeps the real host (so the spans
 * name OpenAI and are priced) and reaches this server through `fetch`.
 */
async function startFakeResponsesApi(): Promise<{ fetch: typeof fetch; close(): void }> {
  let served = 0;
  const server = http.createServer(async (req, res) => {
    for await (const chunk of req) void chunk;
    const n = ++served;
    const call = (name: string, args: string) => ({ type: 'function_call', id: `fc_${n}`, call_id: `call_${n}`, name, arguments: args, status: 'completed' });
    const output =
      n === 1 ? [call('get_weather', '{"city":"Paris"}')]
        : n === 2 ? [call('transfer_to_French_agent', '{}')]
          : [{ type: 'message', id: 'msg_3', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Il fait beau et 21°C à Paris.', annotations: [] }] }];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `resp_${n}`,
        object: 'response',
        created_at: 1764576000,
        status: 'completed',
        model: 'gpt-4.1-2025-04-14',
        output,
        usage: { input_tokens: 50 * n, output_tokens: 12, total_tokens: 50 * n + 12, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    fetch: (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return fetch(new URL(url.pathname + url.search, origin), init);
    },
    close: () => server.close(),
  };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
