import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type * as HfModule from '@huggingface/inference';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, expectAbandoned, llmSpans, onlyChildSpan, stable } from '../../helpers/tracing';
import { CHAT_MODEL, chatResponse, chatStream, EMBED_MODEL, HF_TOKEN, huggingFaceRoutes, TOGETHER_MODEL, VECTOR_A, VECTOR_B } from './fixtures';

const MESSAGES = [{ role: 'user', content: 'Weather in Paris?' }];
const TOOLS = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

describe('@huggingface/inference (CommonJS build)', function () {
  this.timeout(30_000);
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let hf: typeof HfModule;
  let server: FakeLlmServer;
  /** Requests to huggingface.co and its router reach the fake (real HTTP, its own origin). */
  let options: { fetch: typeof fetch };

  const suite = useProviderSuite(
    async () => {
      hf = require('@huggingface/inference');
      server = await startFakeLlmServer();
      server.handle(huggingFaceRoutes());
      options = { fetch: server.fetch };
      return { server };
    },
    { tracing, resetConfig: true },
  );
  beforeEach(() => server.handle(huggingFaceRoutes()));

  it('InferenceClient.chatCompletion routed to a named provider: one LLM span, provider together, exact tokens', async () => {
    const client = new hf.InferenceClient(HF_TOKEN);
    const result = await tracing.inParent('agent', () =>
      client.chatCompletion({ provider: 'together', model: CHAT_MODEL, messages: MESSAGES, tools: TOOLS, temperature: 0.2, max_tokens: 64 }, options),
    );
    expect(result.choices[0].message.content).to.equal('Hello from Llama!');
    expect(server.requests.map((r) => r.path)).to.deep.equal([`/api/models/${CHAT_MODEL}?expand[]=inferenceProviderMapping`, '/together/v1/chat/completions']);
    const span = await onlyChildSpan(tracing, `chat ${CHAT_MODEL}`);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'together',
      'llm.system': 'huggingface',
      'llm.model_name': TOGETHER_MODEL,
      'llm.model': TOGETHER_MODEL,
      'llm.temperature': 0.2,
      'llm.invocation_parameters': JSON.stringify({ model: CHAT_MODEL, temperature: 0.2, max_tokens: 64 }),
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather in Paris?',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Hello from Llama!',
      'llm.tools.0.tool.json_schema': JSON.stringify(TOOLS[0]),
      'input.value': 'Weather in Paris?',
      'input.mime_type': 'text/plain',
      'output.value': 'Hello from Llama!',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 21,
      'llm.token_count.completion': 6,
      'llm.token_count.total': 27,
      'llm.prompt_tokens': 21,
      'llm.completion_tokens': 6,
      'llm.finish_reason': 'stop',
      'llm.cost.prompt': 0.00001848,
      'llm.cost.completion': 0.00000528,
      'llm.cost.total': 0.00002376,
    });
    expect((await tracing.spans()).find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
    expect(JSON.stringify(span)).not.to.contain(HF_TOKEN);
  });
});
