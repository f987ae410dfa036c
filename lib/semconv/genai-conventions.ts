import type { Attributes } from '@opentelemetry/api';
import type { Conventions } from '../config/semconv';
import { CallRecord, requestTemperature } from '../record/call-record';
import { isTokenCount } from '../record/usage';
import type { TraceConfig } from '../masking/trace-config';
import { ATTR_ERROR_TYPE, INFINIUM, OI } from './attributes';
import { AttributeSink, type AttributeTarget, renderCallRecord, renderOmittedOutput } from './render';
import type * as GenAiRender from './genai-render';
import { renderCost } from './render-cost';

/**
 * The attributes of one call in the conventions chosen (INFINIUM_SEMCONV / the `semconv` option):
 * OpenInference (with Infinium's keys, render.ts), or Infinium's keys alone, plus GenAI when chosen.
 * The default (OpenInference only) is one flag test away from the plain renderer. With a `target` (the
 * call's span), the first part is written straight onto it and the map returned holds the rest.
 */
export function renderInConventions(record: CallRecord, config: TraceConfig, conventions: Conventions, target?: AttributeTarget): Attributes {
  const attributes = conventions.openInference ? renderCallRecord(record, config, target) : renderInfiniumKeys(record, config, target);
  if (conventions.genAi) Object.assign(attributes, genAiRenderer().renderGenAiAttributes(record, config));
  return attributes;
}

/**
 * The attributes an LLM span starts with (samplers see them). With OpenInference: the span kind and the
 * provider, as before. GenAI alone: the GenAI operation and provider, by which the span processor knows the
 * span is a call (it has no `openinference.span.kind`).
 */
export function startAttributes(record: CallRecord, conventions: Conventions): Attributes {
  const attributes: Attributes = { [OI.LLM_PROVIDER]: record.provider };
  if (conventions.openInference) attributes[OI.OPENINFERENCE_SPAN_KIND] = record.kind;
  if (conventions.genAi) {
    const render = genAiRenderer();
    attributes[render.GEN_AI.OPERATION_NAME] = render.genAiOperationName(record.operation);
    attributes[render.GEN_AI.PROVIDER_NAME] = render.genAiProviderName(record);
  }
  return attributes;
}

/** Infinium's per-call keys, always written, for when OpenInference (which includes them) is off. */
function renderInfiniumKeys(record: CallRecord, config: TraceConfig, target?: AttributeTarget): Attributes {
  const out = new AttributeSink(config, target);
  out.put(OI.LLM_PROVIDER, record.provider);
  out.put(INFINIUM.MODEL, record.responseModel ?? record.requestModel);
  out.put(INFINIUM.TEMPERATURE, requestTemperature(record));
  const u = record.usage;
  if (isTokenCount(u.prompt)) out.put(INFINIUM.PROMPT_TOKENS, u.prompt);
  if (isTokenCount(u.completion)) out.put(INFINIUM.COMPLETION_TOKENS, u.completion);
  renderCost(out, record);
  if (record.latencyMs !== undefined) out.put(INFINIUM.LATENCY_MS, Math.round(record.latencyMs * 1000) / 1000);
  if (record.error) out.put(ATTR_ERROR_TYPE, record.error.type);
  renderOmittedOutput(out, record);
  return out.attributes;
}

/**
 * The GenAI renderer pulls in @opentelemetry/semantic-conventions' incubating entry (tens of ms to load),
 * so it is loaded the first time GenAI attributes are wanted, never in the default configuration.
 */
let loaded: typeof GenAiRender | undefined;
function genAiRenderer(): typeof GenAiRender {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./genai-render') as typeof GenAiRender);
}
