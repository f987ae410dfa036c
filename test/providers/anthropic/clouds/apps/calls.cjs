// The calls both apps make (together-ai's too, in the app that loads no plain Anthropic SDK) with the SDK classes they loaded, under one
// root span, then the OpenInference spans and the root's infinium.llm_call_count as JSON.
const { trace } = require('@opentelemetry/api');
const origin = process.env.FAKE_ORIGIN;
const ask = (model, extra = {}) => ({ model, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }], ...extra });

/** How many of our wrappers stand on each traced method of each copy (one, whichever entries loaded the class). */
const wrapDepths = (resources) =>
  resources.flatMap((r) => [r.Messages, r.Beta.Messages].flatMap((cls) => ['create', 'stream'].map((m) => {
    let depth = 0;
    for (let fn = cls.prototype[m]; fn && fn.__wrapped; fn = fn.__original) depth++;
    return depth;
  })));

exports.run = async function run(sdks, resources) {
  await trace.getTracer('app').startActiveSpan('agent', async (span) => {
    try {
      await calls(sdks);
    } finally {
      span.end();
    }
  });
  const { provider, exporter } = globalThis.__cloudsTest;
  await provider.forceFlush();
  const finished = exporter.getFinishedSpans();
  const spans = finished.filter((s) => s.attributes['openinference.span.kind'] !== undefined);
  const rootCount = finished.find((s) => s.name === 'agent').attributes['infinium.llm_call_count'];
  console.log(JSON.stringify({ rootCount, wrapDepths: wrapDepths(resources), spans: spans.map((s) => [s.name, s.attributes['llm.system'], s.attributes['llm.provider'], s.attributes['llm.token_count.total']]) }));
};

async function calls({ AnthropicVertex, AnthropicBedrock, Anthropic, Together }) {
  const vertex = new AnthropicVertex({
    region: 'us-east5',
    projectId: 'test-project',
    authClient: { projectId: 'test-project', getRequestHeaders: async () => new Headers({ authorization: 'Bearer t' }) },
    baseURL: `${origin}/v1`,
    maxRetries: 0,
  });
  const bedrock = new AnthropicBedrock({ awsAccessKey: 'AKIATEST', awsSecretKey: 'secret', awsRegion: 'us-east-1', baseURL: origin, maxRetries: 0 });
  await vertex.messages.create(ask('claude-sonnet-4-5@20250929'));
  await vertex.messages.stream(ask('claude-sonnet-4-5@20250929')).finalMessage();
  await bedrock.messages.create(ask('anthropic.claude-sonnet-4-5-20250929-v1:0'));
  for await (const _ of await bedrock.messages.create(ask('anthropic.claude-sonnet-4-5-20250929-v1:0', { stream: true }))) void _;
  if (Anthropic) await new Anthropic({ apiKey: 'sk-ant-x', baseURL: origin, maxRetries: 0 }).messages.create(ask('claude-sonnet-4-6'));
  if (Together) await new Together({ apiKey: 'x', baseURL: `${origin}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'Hi' }] });
}
