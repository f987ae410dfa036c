import { Attributes, SpanKind, Tracer } from '@opentelemetry/api';

/** A chat span as the OTel GenAI conventions describe it (what instrumentation-openai, the Vercel AI SDK, … emit). */
export const GENAI_CHAT: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.response.model': 'gpt-4o-2024-08-06',
  'gen_ai.request.temperature': 0.3,
  'gen_ai.request.max_tokens': 200,
  'gen_ai.usage.input_tokens': 40,
  'gen_ai.usage.output_tokens': 12,
  'gen_ai.usage.cache_read.input_tokens': 8,
  'gen_ai.response.finish_reasons': ['stop'],
  'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be brief.' }]),
  'gen_ai.input.messages': JSON.stringify([
    { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: '18C' }] },
  ]),
  'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'It is 18C.' }], finish_reason: 'stop' }]),
};

/** What the processor adds to GENAI_CHAT (besides `llm.latency_ms`, which is the span's duration). */
export const GENAI_CHAT_RENDERED: Attributes = {
  'openinference.span.kind': 'LLM',
  'llm.provider': 'openai',
  'llm.system': 'openai',
  'llm.model_name': 'gpt-4o-2024-08-06',
  'llm.model': 'gpt-4o-2024-08-06',
  'llm.temperature': 0.3,
  // gpt-4o at its list price (USD per million: 2.50 input, 1.25 cached input, 10.00 output): 32 uncached + 8
  // cached prompt tokens (GenAI's input_tokens holds the cached ones), 12 completion tokens.
  'llm.cost.prompt': 0.00009,
  'llm.cost.completion': 0.00012,
  'llm.cost.total': 0.00021,
  'llm.cost.prompt_details.cache_read': 0.00001,
  'llm.invocation_parameters': '{"model":"gpt-4o","temperature":0.3,"max_tokens":200}',
  'llm.input_messages.0.message.role': 'system',
  'llm.input_messages.0.message.content': 'Be brief.',
  'llm.input_messages.1.message.role': 'user',
  'llm.input_messages.1.message.content': 'Weather in Paris?',
  'llm.input_messages.2.message.role': 'assistant',
  'llm.input_messages.2.message.tool_calls.0.tool_call.id': 'call_1',
  'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'get_weather',
  'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
  'llm.input_messages.3.message.role': 'tool',
  'llm.input_messages.3.message.tool_call_id': 'call_1',
  'llm.input_messages.3.message.content': '18C',
  'llm.output_messages.0.message.role': 'assistant',
  'llm.output_messages.0.message.content': 'It is 18C.',
  'input.value': JSON.stringify([
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    { role: 'tool', toolCallId: 'call_1', content: '18C' },
  ]),
  'input.mime_type': 'application/json',
  'output.value': 'It is 18C.',
  'output.mime_type': 'text/plain',
  'llm.token_count.prompt': 40,
  'llm.token_count.completion': 12,
  'llm.token_count.total': 52,
  'llm.token_count.prompt_details.cache_read': 8,
  'llm.prompt_tokens': 40,
  'llm.completion_tokens': 12,
  'llm.finish_reason': 'stop',
};

/** Starts and ends a foreign GenAI span in the active context. */
export function foreignSpan(tracer: Tracer, attributes: Attributes = GENAI_CHAT, name = 'chat gpt-4o'): void {
  tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }).end();
}

/** The attributes without `llm.latency_ms` (a measured duration). */
export function withoutLatency(attributes: Attributes): Attributes {
  const { ['llm.latency_ms']: _latency, ...rest } = attributes;
  return rest;
}
