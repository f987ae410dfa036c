/**
 * The two LangChain workloads of the `langchain` bench section, on the real packages (@langchain/core,
 * @langchain/openai, @langchain/langgraph) with ChatOpenAI's OpenAI client answered in-process: a `fetch`
 * returning a `Response` around prebuilt bytes, as bench/variant.ts serves the OpenAI SDK. So what is timed
 * is LangChain, the OpenAI SDK and the instrumentation, with no network.
 * - chain: an LCEL chain, `ChatPromptTemplate | ChatOpenAI | StringOutputParser`, `invoke()`d;
 * - agent: one turn of a LangGraph `createReactAgent` with one tool: the model asks for the tool, the tool
 *   runs, the model answers (2 model requests, 1 tool call).
 * Required only after the variant's instrumentation is installed, so its require hooks see the packages load.
 */
import * as fx from './fixtures';

export type LangChainScenario = 'chain' | 'agent';
/** No instrumentation, ours (content captured or not), and Arize's LangChain + OpenAI instrumentations. */
export type LangChainVariant = 'none' | 'ours' | 'ours-nocontent' | 'arize';
export const LANGCHAIN_VARIANTS: readonly LangChainVariant[] = ['none', 'ours', 'ours-nocontent', 'arize'];
export type Workload = () => Promise<unknown>;

const encoder = new TextEncoder();
const USAGE = { prompt_tokens: 61, completion_tokens: 17, total_tokens: 78 };

/** The model's first answer in an agent turn: one call of the tool. */
const TOOL_CALL = encoder.encode(
  JSON.stringify({
    id: 'chatcmpl-tool',
    object: 'chat.completion',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [{ id: 'call_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ],
    usage: USAGE,
  }),
);

/** Counts the model requests served, so a variant's LLM spans can be divided by them. */
export const served = { requests: 0 };

/** The chain's model: every request gets the plain answer of the OpenAI bench. */
const answerFetch = (): Promise<Response> => {
  served.requests++;
  return Promise.resolve(fx.jsonResponse(fx.OPENAI_CHAT));
};

/** The agent's model: the tool call, then (once the request carries the tool's result) the final answer. */
const agentFetch = (_url: unknown, init?: { body?: unknown }): Promise<Response> => {
  served.requests++;
  const answered = typeof init?.body === 'string' && init.body.includes('"role":"tool"');
  return Promise.resolve(fx.jsonResponse(answered ? fx.OPENAI_CHAT : TOOL_CALL));
};

export function langChainWorkloads(): Record<LangChainScenario, Workload> {
  const { ChatPromptTemplate } = require('@langchain/core/prompts');
  const { StringOutputParser } = require('@langchain/core/output_parsers');
  const { tool } = require('@langchain/core/tools');
  const { ChatOpenAI } = require('@langchain/openai');
  const { createReactAgent } = require('@langchain/langgraph/prebuilt');
  const { z } = require('zod');
  const model = (fetch: typeof answerFetch | typeof agentFetch) =>
    new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0.2, apiKey: 'sk-bench', maxRetries: 0, configuration: { fetch } });

  const prompt = ChatPromptTemplate.fromMessages([
    ['system', 'You are a helpful assistant. Answer briefly.'],
    ['human', '{question}'],
  ]);
  const chain = prompt.pipe(model(answerFetch)).pipe(new StringOutputParser());

  const getWeather = tool(async ({ city }: { city: string }) => `Sunny and 21°C in ${city}.`, {
    name: 'get_weather',
    description: 'The current weather of a city.',
    schema: z.object({ city: z.string() }),
  });
  const agent = createReactAgent({ llm: model(agentFetch), tools: [getWeather], name: 'weather_agent' });

  return {
    chain: () => chain.invoke({ question: 'Say hello and offer help.' }),
    agent: () => agent.invoke({ messages: [{ role: 'user', content: 'What is the weather in Paris?' }] }),
  };
}

/**
 * Waits for LangChain's background callback handlers (`LANGCHAIN_CALLBACKS_BACKGROUND`, on by default),
 * so that a batch pays for the spans a handler run in the background makes after `invoke()` returned.
 */
export function awaitLangChainCallbacks(): Promise<void> {
  const { awaitAllCallbacks } = require('@langchain/core/callbacks/promises');
  return awaitAllCallbacks();
}
