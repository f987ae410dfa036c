// First: LangChain (and the SDKs under it) loaded after the instrumentation is on (langchain-modules.ts).
import { lc, type LangChain } from '../langchain-modules';
import type { ChatOpenAI as ChatOpenAIType, OpenAIEmbeddings as OpenAIEmbeddingsType } from '@langchain/openai';
import type { Runnable } from '@langchain/core/runnables';
import { FakeLlmServer, startFakeLlmServer } from '../../../helpers/fake-llm-server';
import { ProviderSuite, useProviderSuite } from '../../../helpers/provider-suite';
import { REQUEST_MODEL, EMBEDDING_MODEL } from './fixtures';

export const API_KEY = 'sk-test-secret-123';

export interface LangChainParts {
  server: FakeLlmServer;
  lc: LangChain;
  /** A ChatOpenAI on the fake server (the real host name, so provider detection sees OpenAI). */
  chatModel(fields?: Record<string, unknown>): ChatOpenAIType;
  embeddingsModel(): OpenAIEmbeddingsType;
  /** The LCEL chain of the tests: system + human template | model | StringOutputParser. */
  qaChain(): Runnable<{ persona: string; question: string }, string>;
  /** `createReactAgent` named 'weather_agent' with the get_weather tool (it throws for Atlantis). */
  weatherAgent(options?: { checkpointer?: boolean }): ReturnType<LangChain['prebuilt']['createReactAgent']>;
}

export type LangChainSuite = ProviderSuite<LangChainParts>;

export const SYSTEM_TEMPLATE = 'You are {persona}. Answer in one word.';
export const HUMAN_TEMPLATE = '{question}';

/** The suite of every e2e file: the instrumentation on, then LangChain loaded, a fake OpenAI server, the default config before each test. */
export function useLangChainSuite(): LangChainSuite {
  const suite = useProviderSuite<LangChainParts>(
    async () => {
      const server = await startFakeLlmServer();
      const configuration = { baseURL: 'https://api.openai.com/v1', fetch: server.fetch };
      const chatModel = (fields: Record<string, unknown> = {}) =>
        new lc.openai.ChatOpenAI({ model: REQUEST_MODEL, apiKey: API_KEY, maxRetries: 0, configuration, ...fields });
      const embeddingsModel = () => new lc.openai.OpenAIEmbeddings({ model: EMBEDDING_MODEL, apiKey: API_KEY, maxRetries: 0, configuration });
      const qaChain = () =>
        lc.prompts.ChatPromptTemplate.fromMessages([
          ['system', SYSTEM_TEMPLATE],
          ['human', HUMAN_TEMPLATE],
        ])
          .pipe(chatModel())
          .pipe(new lc.parsers.StringOutputParser());
      const getWeather = lc.tools.tool(
        async ({ city }: { city: string }) => {
          if (city === 'Atlantis') throw new Error('no weather station in Atlantis');
          return `Sunny in ${city}`;
        },
        { name: 'get_weather', description: 'The weather of a city', schema: lc.zod.z.object({ city: lc.zod.z.string() }) },
      );
      const weatherAgent = (options: { checkpointer?: boolean } = {}) =>
        lc.prebuilt.createReactAgent({
          llm: chatModel(),
          tools: [getWeather],
          name: 'weather_agent',
          checkpointer: options.checkpointer ? new lc.langgraph.MemorySaver() : undefined,
        });
      return { server, lc, chatModel, embeddingsModel, qaChain, weatherAgent };
    },
    { resetConfig: true, setUpTimeoutMs: 120_000 },
  );
  // Each test counts the requests it made (one LLM span per request).
  beforeEach(() => {
    suite.server.requests.length = 0;
  });
  return suite;
}
