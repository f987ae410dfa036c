import type { Attributes, Span } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * An app's tracing as users set it up: a TracerProvider with a BatchSpanProcessor and one of the real
 * OTLP exporters (http/protobuf, http/json, grpc), pointed at the viewer.
 */
export type Protocol = 'http/protobuf' | 'http/json' | 'grpc';

export function exporterFor(protocol: Protocol, url: string, compression?: 'gzip'): SpanExporter {
  const options = { url, ...(compression ? { compression: compression as never } : {}) };
  if (protocol === 'http/protobuf') return new ProtoExporter(options);
  if (protocol === 'http/json') return new JsonExporter(options);
  return new GrpcExporter(options);
}

export function appTracing(exporter: SpanExporter, service: string): TracerProvider {
  return new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 50 })],
  });
}

/**
 * An agent turn: AGENT root, an LLM call (OpenInference keys, priced), a TOOL span, a GenAI-only LLM
 * call (gen_ai.* keys) and, under the first LLM span, the SDK's own GenAI span for the same call (which
 * must not count twice). Returns the trace id.
 */
export function agentTurn(provider: TracerProvider, options: { fail?: boolean } = {}): string {
  const tracer = provider.getTracer('viewer-test', '1.2.3');
  // Parents passed explicitly: the provider is not registered, so there is no context manager.
  const start = (name: string, attributes: Attributes, parent?: Span): Span =>
    tracer.startSpan(name, { attributes, kind: parent ? SpanKind.CLIENT : SpanKind.SERVER }, parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT);
  const root = start('agent turn', { 'openinference.span.kind': 'AGENT', 'input.value': 'What is the weather in <b>Paris</b>?' });
  const llm = start(
    'ChatCompletion',
    {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini',
      'llm.token_count.prompt': 120,
      'llm.token_count.completion': 30,
      'llm.token_count.total': 150,
      'llm.cost.total': 0.000036,
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'What is the weather in Paris?',
    },
    root,
  );
  start('anthropic.messages.create', { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 120, 'gen_ai.usage.output_tokens': 30 }, llm).end();
  llm.end();
  start('get_weather', { 'openinference.span.kind': 'TOOL', 'tool.name': 'get_weather', 'input.value': '{"city":"Paris"}', 'output.value': 'sunny, 21°C' }, root).end();
  const genai = start(
    'chat claude-sonnet-4',
    { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-sonnet-4', 'gen_ai.usage.input_tokens': 200, 'gen_ai.usage.output_tokens': 50, 'app.list': [1, 2, 3] },
    root,
  );
  if (options.fail) {
    genai.recordException(new Error('rate limited'));
    genai.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
  }
  genai.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return root.spanContext().traceId;
}
