import { expect } from 'chai';
import { context, ROOT_CONTEXT, Span, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import * as oiCore from '@arizeai/openinference-core';
import { InfiniumSpanProcessor, InfiniumSpanProcessorOptions } from '../../lib/processor/span-processor';
import { liveStores } from '../../lib/processor/trace-store';
import { recordPromptFetch } from '../../lib/helpers/prompt-fetch';
import { setMetadata, setSession, setTags, setUser } from '../../lib/helpers/context-attributes';
import { createTracing } from '../helpers/tracing';
import { foreignSpan, GENAI_CHAT, GENAI_CHAT_RENDERED, withoutLatency } from './genai-fixtures';

const byName = (spans: ReadableSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).to.have.length(1);
  return found[0];
};

function setup(options: InfiniumSpanProcessorOptions = { serviceName: 'svc' }) {
  const processor = new InfiniumSpanProcessor(options);
  const tracing = createTracing([processor]);
  const tracer = tracing.provider.getTracer('foreign');
  /** Runs `fn` under a root span that ends when it settles. */
  const inRoot = <T>(fn: (root: Span) => T | Promise<T>, name = 'root') =>
    tracer.startActiveSpan(name, async (root) => {
      try {
        return await fn(root);
      } finally {
        root.end();
      }
    });
  return { processor, tracing, tracer, inRoot };
}

describe('InfiniumSpanProcessor', () => {
  const made: InfiniumSpanProcessor[] = [];
  const track = (s: ReturnType<typeof setup>) => (made.push(s.processor), s);
  afterEach(async () => {
    for (const p of made.splice(0)) await p.shutdown();
  });

  describe('root roll-up', () => {
    it('sets service, duration and exact counts on the local root; only LLM spans count', async () => {
      const { tracing, tracer, inRoot } = track(setup());
      await inRoot(async () => {
        foreignSpan(tracer);
        recordPromptFetch({ id: 'p-1', name: 'classifier', version: 3 });
        await new Promise((r) => setTimeout(r, 5));
        foreignSpan(tracer, { ...GENAI_CHAT, 'gen_ai.request.model': 'gpt-4o-mini' }, 'chat gpt-4o-mini');
        foreignSpan(tracer, { 'gen_ai.operation.name': 'embeddings', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'text-embedding-3-small' }, 'embeddings');
        foreignSpan(tracer, { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' }, 'execute_tool search');
        tracer.startSpan('http GET').end();
      });
      const spans = await tracing.spans();
      const root = byName(spans, 'root');
      const duration = root.duration[0] + root.duration[1] / 1e9;
      expect(root.attributes).to.deep.equal({
        'infinium.service': 'svc',
        'infinium.duration_s': Math.round(duration * 1e6) / 1e6,
        'infinium.llm_call_count': 2,
        'infinium.prompt_fetch_count': 1,
        // Two gpt-4o calls at 0.00021 each; the embeddings call reported no usage, so its cost is unknown.
        'infinium.cost_usd': 0.00042,
        'infinium.unpriced_llm_call_count': 1,
      });
      expect(duration).to.be.greaterThan(0.004);
      expect(root.events.map((e) => [e.name, e.attributes])).to.deep.equal([
        ['infinium.prompt_fetch', { 'prompt.id': 'p-1', 'prompt.name': 'classifier', 'prompt.version': 3 }],
      ]);
      expect(byName(spans, 'embeddings').attributes['openinference.span.kind']).to.equal('EMBEDDING');
      expect(byName(spans, 'execute_tool search').attributes['openinference.span.kind']).to.equal('TOOL');
    });

    it('counts our own and OpenInference LLM spans, not calls that end after the root', async () => {
      const { tracing, tracer, inRoot } = track(setup());
      let late: Span | undefined;
      await inRoot(() => {
        tracer.startSpan('oi llm', { attributes: { 'openinference.span.kind': 'LLM', 'llm.provider': 'anthropic' } }).end();
        late = tracer.startSpan('late', { attributes: GENAI_CHAT });
      });
      late!.end();
      const root = byName(await tracing.spans(), 'root');
      expect(root.attributes['infinium.llm_call_count']).to.equal(1);
      expect(root.attributes['infinium.prompt_fetch_count']).to.equal(0);
    });

    it('never overwrites roll-up attributes the app set', async () => {
      const { tracing, inRoot } = track(setup());
      await inRoot((root) => {
        root.setAttributes({ 'infinium.service': 'mine', 'infinium.llm_call_count': 99 });
      });
      const root = byName(await tracing.spans(), 'root');
      expect(root.attributes['infinium.service']).to.equal('mine');
      expect(root.attributes['infinium.llm_call_count']).to.equal(99);
      expect(root.attributes['infinium.prompt_fetch_count']).to.equal(0);
    });

    it('treats a span with a remote parent as the local root', async () => {
      const { tracing, tracer } = track(setup());
      const remote = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      const server = tracer.startSpan('server', {}, remote);
      context.with(trace.setSpan(remote, server), () => foreignSpan(tracer));
      server.end();
      const s = byName(await tracing.spans(), 'server');
      expect(s.spanContext().traceId).to.equal('0af7651916cd43dd8448eb211c80319c');
      expect(s.attributes['infinium.llm_call_count']).to.equal(1);
    });

    it('takes infinium.service from the resource, and infinium-agent when there is none', async () => {
      const exporter = new InMemorySpanExporter();
      const named = new TracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'research-agent' }),
        spanProcessors: [new InfiniumSpanProcessor(), new SimpleSpanProcessor({ exporter })],
      });
      const unnamed = new TracerProvider({ spanProcessors: [new InfiniumSpanProcessor(), new SimpleSpanProcessor({ exporter })] });
      named.getTracer('t').startSpan('a').end();
      unnamed.getTracer('t').startSpan('b').end();
      const spans = exporter.getFinishedSpans();
      expect(spans.map((s) => s.attributes['infinium.service'])).to.deep.equal(['research-agent', 'infinium-agent']);
      await named.shutdown();
      await unnamed.shutdown();
    });
  });

  describe('foreign GenAI spans', () => {
    it('renders a GenAI chat span as an OpenInference LLM span, keeping its own attributes', async () => {
      const { tracing, tracer, inRoot } = track(setup());
      await inRoot(() => foreignSpan(tracer, { ...GENAI_CHAT, 'llm.provider': 'set-by-emitter' }));
      const span = byName(await tracing.spans(), 'chat gpt-4o');
      expect(withoutLatency(span.attributes)).to.deep.equal({ ...GENAI_CHAT, ...GENAI_CHAT_RENDERED, 'llm.provider': 'set-by-emitter' });
      const durationMs = span.duration[0] * 1e3 + span.duration[1] / 1e6;
      expect(span.attributes['llm.latency_ms']).to.equal(Math.round(durationMs * 1000) / 1000);
    });

    it('leaves a span that already has an OpenInference kind alone', async () => {
      const { tracing, tracer, inRoot } = track(setup());
      const attributes = { ...GENAI_CHAT, 'openinference.span.kind': 'LLM' };
      await inRoot(() => foreignSpan(tracer, attributes));
      expect(byName(await tracing.spans(), 'chat gpt-4o').attributes).to.deep.equal(attributes);
    });

    it('passes a span with nothing AI-related through unchanged', async () => {
      const { tracing, tracer, inRoot } = track(setup());
      const attributes = { 'http.request.method': 'GET', 'url.full': 'https://example.com/data:x', 'http.response.status_code': 200, tags: ['a', 'b'] };
      await inRoot(() => tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes }).end());
      const span = byName(await tracing.spans(), 'GET');
      expect(span.attributes).to.deep.equal(attributes);
      expect(span.events).to.deep.equal([]);
    });
  });

  describe('masking of every span', () => {
    const CONTENT = ['Be brief.', 'Weather in Paris?', 'It is 18C.', '18C', 'Paris'];
    async function maskedChat(options: InfiniumSpanProcessorOptions) {
      const { tracing, tracer, inRoot } = track(setup(options));
      await inRoot(() => {
        foreignSpan(tracer);
        // A span another library already rendered: its content is masked too.
        tracer.startSpan('oi', { attributes: { 'openinference.span.kind': 'LLM', 'input.value': 'Weather in Paris?', 'llm.output_messages.0.message.content': 'It is 18C.' } }).end();
        foreignSpan(tracer, { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.call.arguments': '{"city":"Paris"}', 'gen_ai.tool.call.result': '18C' }, 'tool');
      });
      const spans = await tracing.spans();
      return { chat: byName(spans, 'chat gpt-4o').attributes, oi: byName(spans, 'oi').attributes, tool: byName(spans, 'tool').attributes };
    }

    it('captureContent: false leaves no prompt or completion text on any span', async () => {
      const { chat, oi, tool } = await maskedChat({ captureContent: false });
      const all = JSON.stringify([chat, oi, tool]);
      for (const text of CONTENT) expect(all, text).not.to.contain(text);
      expect(chat['gen_ai.input.messages']).to.equal('__REDACTED__');
      expect(chat['gen_ai.output.messages']).to.equal('__REDACTED__');
      expect(chat['gen_ai.system_instructions']).to.equal('__REDACTED__');
      expect(chat['input.value']).to.equal('__REDACTED__');
      expect(chat['llm.input_messages.1.message.content']).to.equal('__REDACTED__');
      expect(chat['llm.input_messages.1.message.role']).to.equal('user');
      expect(chat['llm.token_count.prompt']).to.equal(40);
      expect(oi['input.value']).to.equal('__REDACTED__');
      expect(tool['gen_ai.tool.call.arguments']).to.equal('__REDACTED__');
      expect(tool['gen_ai.tool.call.result']).to.equal('__REDACTED__');
      expect(tool['tool.name']).to.equal('get_weather');
    });

    it('INFINIUM_CAPTURE_CONTENT=false in the environment does the same', async () => {
      const before = process.env.INFINIUM_CAPTURE_CONTENT;
      process.env.INFINIUM_CAPTURE_CONTENT = 'false';
      try {
        const { chat, oi, tool } = await maskedChat({});
        const all = JSON.stringify([chat, oi, tool]);
        for (const text of CONTENT) expect(all, text).not.to.contain(text);
      } finally {
        if (before === undefined) delete process.env.INFINIUM_CAPTURE_CONTENT;
        else process.env.INFINIUM_CAPTURE_CONTENT = before;
      }
    });

    it('hideInputs hides inputs only, dropping the message structure keys', async () => {
      const { chat, tool } = await maskedChat({ hideInputs: true });
      expect(chat['gen_ai.input.messages']).to.equal('__REDACTED__');
      expect(chat['gen_ai.system_instructions']).to.equal('__REDACTED__');
      expect(chat['input.value']).to.equal('__REDACTED__');
      expect(chat).not.to.have.property('input.mime_type');
      expect(Object.keys(chat).filter((k) => k.startsWith('llm.input_messages.'))).to.deep.equal([]);
      expect(chat['gen_ai.output.messages']).to.equal(GENAI_CHAT['gen_ai.output.messages']);
      expect(chat['output.value']).to.equal('It is 18C.');
      expect(tool['gen_ai.tool.call.arguments']).to.equal('__REDACTED__');
      expect(tool['gen_ai.tool.call.result']).to.equal('18C');
    });

    it('hideOutputs hides outputs only', async () => {
      const { chat, oi } = await maskedChat({ hideOutputs: true });
      expect(chat['gen_ai.output.messages']).to.equal('__REDACTED__');
      expect(chat['output.value']).to.equal('__REDACTED__');
      expect(Object.keys(chat).filter((k) => k.startsWith('llm.output_messages.'))).to.deep.equal([]);
      expect(oi).not.to.have.property('llm.output_messages.0.message.content');
      expect(chat['gen_ai.input.messages']).to.equal(GENAI_CHAT['gen_ai.input.messages']);
      expect(chat['llm.input_messages.1.message.content']).to.equal('Weather in Paris?');
    });

    it('hideInputText redacts the text and keeps the structure', async () => {
      const { chat } = await maskedChat({ hideInputText: true });
      expect(chat['gen_ai.input.messages']).to.equal('__REDACTED__');
      expect(chat['llm.input_messages.1.message.content']).to.equal('__REDACTED__');
      expect(chat['llm.input_messages.1.message.role']).to.equal('user');
      expect(chat['output.value']).to.equal('It is 18C.');
    });

    it('by default keeps content and truncates long base64 images on AI spans', async () => {
      const { tracing, tracer, inRoot } = track(setup({ base64ImageMaxLength: 40 }));
      const image = `data:image/png;base64,${'A'.repeat(100)}`;
      await inRoot(() => tracer.startSpan('oi', { attributes: { 'openinference.span.kind': 'LLM', 'llm.input_messages.0.message.contents.0.message_content.image.image.url': image } }).end());
      const span = byName(await tracing.spans(), 'oi');
      expect(span.attributes['llm.input_messages.0.message.contents.0.message_content.image.image.url']).to.equal(image.slice(0, 40));
    });
  });

  describe('context attributes', () => {
    it('puts session, user, metadata and tags on every span started in the context, across async boundaries', async () => {
      const { tracing, tracer } = track(setup());
      let ctx = setSession(context.active(), { sessionId: 's-1' });
      ctx = setUser(ctx, { userId: 'u-1' });
      ctx = setMetadata(ctx, { plan: 'pro', n: 2 });
      ctx = setTags(ctx, ['beta', 'eu']);
      await context.with(ctx, async () => {
        await tracer.startActiveSpan('root', async (root) => {
          await new Promise((r) => setTimeout(r, 1));
          foreignSpan(tracer);
          await new Promise<void>((resolve) => setTimeout(() => {
            tracer.startSpan('timer child').end();
            resolve();
          }, 1));
          root.end();
        });
      });
      tracer.startSpan('outside').end();
      const spans = await tracing.spans();
      const expected = { 'session.id': 's-1', 'user.id': 'u-1', metadata: '{"plan":"pro","n":2}', 'tag.tags': ['beta', 'eu'] };
      for (const name of ['root', 'chat gpt-4o', 'timer child']) expect(byName(spans, name).attributes, name).to.deep.include(expected);
      expect(byName(spans, 'timer child').attributes).to.deep.equal(expected);
      expect(byName(spans, 'outside').attributes).not.to.have.property('session.id');
    });

    it("honours @arizeai/openinference-core's setters, and never overwrites a start attribute", async () => {
      const { tracing, tracer } = track(setup());
      let ctx = oiCore.setSession(context.active(), { sessionId: 'oi-s' });
      ctx = oiCore.setUser(ctx, { userId: 'oi-u' });
      ctx = oiCore.setMetadata(ctx, { a: 1 });
      ctx = oiCore.setTags(ctx, ['x']);
      ctx = oiCore.setPromptTemplate(ctx, { template: 'Hi {name}', variables: { name: 'Ann' }, version: 'v2' });
      context.with(ctx, () => {
        tracer.startSpan('child').end();
        tracer.startSpan('preset', { attributes: { 'session.id': 'mine' } }).end();
      });
      const spans = await tracing.spans();
      expect(byName(spans, 'child').attributes).to.deep.include({
        'session.id': 'oi-s',
        'user.id': 'oi-u',
        metadata: '{"a":1}',
        'tag.tags': ['x'],
        'llm.prompt_template.template': 'Hi {name}',
        'llm.prompt_template.variables': '{"name":"Ann"}',
        'llm.prompt_template.version': 'v2',
      });
      expect(byName(spans, 'preset').attributes['session.id']).to.equal('mine');
      // And the other way round: openinference-core reads what our setters stored.
      expect(oiCore.getTags(setTags(ROOT_CONTEXT, ['t']))).to.deep.equal(['t']);
      expect(oiCore.getSession(setSession(ROOT_CONTEXT, { sessionId: 'z' }))).to.deep.equal({ sessionId: 'z' });
    });
  });

  describe('bounded memory', () => {
    it('frees a trace when its root ends', async () => {
      const { processor, tracing, inRoot } = track(setup());
      await inRoot(() => expect(processor.openTraceCount).to.equal(1));
      expect(processor.openTraceCount).to.equal(0);
      await tracing.spans();
    });

    it('evicts the oldest open traces beyond maxOpenTraces', async () => {
      const { processor, tracing, tracer } = track(setup({ serviceName: 'svc', maxOpenTraces: 2 }));
      const roots = [1, 2, 3].map((i) => tracer.startSpan(`root ${i}`));
      expect(processor.openTraceCount).to.equal(2);
      for (const root of roots) {
        context.with(trace.setSpan(context.active(), root), () => foreignSpan(tracer));
        root.end();
      }
      expect(processor.openTraceCount).to.equal(0);
      const spans = await tracing.spans();
      expect(byName(spans, 'root 1').attributes).to.not.have.property('infinium.llm_call_count');
      expect(byName(spans, 'root 1').attributes['infinium.service']).to.equal('svc');
      expect(byName(spans, 'root 2').attributes['infinium.llm_call_count']).to.equal(1);
      expect(byName(spans, 'root 3').attributes['infinium.llm_call_count']).to.equal(1);
    });

    it('forceFlush keeps the state of open traces; shutdown clears it and unregisters the store', async () => {
      const { processor, tracer } = track(setup());
      tracer.startSpan('root');
      expect(processor.openTraceCount).to.equal(1);
      await processor.forceFlush();
      expect(processor.openTraceCount).to.equal(1);
      const stores = liveStores().size;
      await processor.shutdown();
      expect(processor.openTraceCount).to.equal(0);
      expect(liveStores().size).to.equal(stores - 1);
    });
  });
});
