import { context } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import {
  getCurrentTraceContext,
  InfiniumInstrumentation,
  InfiniumSpanProcessor,
  recordPromptFetch,
  setSession,
  trace,
} from '@infinium/otel';

const sdk = new NodeSDK({
  // The processor goes before the export processor, so the exporter sees the enriched spans.
  spanProcessors: [new InfiniumSpanProcessor({ serviceName: 'research-agent' }), new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })],
  instrumentations: [new InfiniumInstrumentation()],
});
sdk.start();

async function main(): Promise<void> {
  // Loaded after sdk.start(): the instrumentation patches it as it loads (in ESM through the import hook
  // that InfiniumInstrumentation registers itself, so this holds under tsx and `module: nodenext` too).
  const { default: OpenAI } = await import('openai');
  const openai = new OpenAI();

  const research = trace(
    'Research Task',
    async (query: string) => {
      recordPromptFetch({ id: '5b0c3e6a-prompt', name: 'research-planner', version: 3 });
      const plan = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        temperature: 0.2,
        messages: [
          { role: 'system', content: 'Plan the research in one line.' },
          { role: 'user', content: query },
        ],
      });
      const answer = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `Answer briefly: ${plan.choices[0].message.content}` }],
      });
      // { traceId, llmCalls: [2 entries], promptFetches: [1 entry] }
      console.log(getCurrentTraceContext());
      return answer.choices[0].message.content;
    },
    { kind: 'AGENT' },
  );

  const ctx = setSession(context.active(), { sessionId: 'session-42' });
  console.log(await context.with(ctx, () => research('Latest AI trends')));
  await sdk.shutdown().catch((err) => console.warn(`tracing: spans not exported (${err.message})`));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
