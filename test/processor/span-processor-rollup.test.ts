import { expect } from 'chai';
import { context, ROOT_CONTEXT, Span, TraceFlags, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { liveStores } from '../../lib/processor/trace-store';
import { recordPromptFetch } from '../../lib/helpers/prompt-fetch';
import { foreignSpan, GENAI_CHAT } from './genai-fixtures';
import { byName, setup, trackProcessors } from './span-processor-setup';

/** The roll-up on each local root (service, duration, counts, cost) and the bounded state of open traces. */
describe('InfiniumSpanProcessor', () => {
  const track = trackProcessors();

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
