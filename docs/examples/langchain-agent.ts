/**
 * One LangGraph agent turn, traced with no code of ours in the app (docs/frameworks/langchain.md). It starts
 * a local stand-in for the OpenAI API (no key, no network), runs one turn of a `createReactAgent` with one
 * tool (two model requests and a tool call), and prints the answer; the register entry prints the trace:
 *
 *   npm run build
 *   OTEL_SERVICE_NAME=weather-app OTEL_TRACES_EXPORTER=none INFINIUM_CONSOLE=tree \
 *     node --import tsx --require @infinium/otel/register docs/examples/langchain-agent.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tool } from '@langchain/core/tools';
import { MemorySaver } from '@langchain/langgraph';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';

async function main(): Promise<void> {
  const openai = await startFakeOpenAI();

  const getWeather = tool(async ({ city }) => `Sunny and 21°C in ${city}.`, {
    name: 'get_weather',
    description: 'The current weather of a city.',
    schema: z.object({ city: z.string() }),
  });

  const agent = createReactAgent({
    llm: new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'demo-key', configuration: { fetch: openai.fetch } }),
    tools: [getWeather],
    name: 'weather_agent',
    checkpointer: new MemorySaver(),
  });

  const state = await agent.invoke(
    { messages: [{ role: 'user', content: 'What is the weather in Paris?' }] },
    { configurable: { thread_id: 'thread-42' }, metadata: { user_id: 'user-7' } },
  );
  console.log(state.messages[state.messages.length - 1].content);
  openai.close();
}

/**
 * A stand-in for the OpenAI chat completions API: the first request of a turn gets a call of get_weather,
 * the one that carries the tool's result gets the final answer. The client keeps the real host (so the
 * spans name OpenAI) and reaches this server through `fetch`.
 */
async function startFakeOpenAI(): Promise<{ fetch: typeof fetch; close(): void }> {
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const { messages } = JSON.parse(body) as { messages: Array<{ role: string }> };
    const answered = messages.some((m) => m.role === 'tool');
    const message = answered
      ? { role: 'assistant', content: 'It is sunny and 21°C in Paris.' }
      : {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        // Each answer its own id: LangGraph's message list replaces a message by a newer one of the same id.
        id: answered ? 'chatcmpl-answer' : 'chatcmpl-tool-call',
        object: 'chat.completion',
        created: 1764576000,
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message, finish_reason: answered ? 'stop' : 'tool_calls' }],
        usage: answered
          ? { prompt_tokens: 83, completion_tokens: 11, total_tokens: 94, prompt_tokens_details: { cached_tokens: 0 } }
          : { prompt_tokens: 61, completion_tokens: 17, total_tokens: 78, prompt_tokens_details: { cached_tokens: 0 } },
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
