import { Env, processEnv, readBoolean, readInteger } from '../config/env';
import { DEFAULT_MAX_ATTRIBUTE_LENGTH } from '../config/text-cap';

/**
 * The OpenInference TraceConfig, plus Infinium's `captureContent` preset.
 * Precedence for every field: the option passed in code, then the environment variable, then the default.
 */
export interface TraceConfigOptions {
  /** `false` keeps no prompt, completion, tool-argument, embedding or image content on any span. Env: `INFINIUM_CAPTURE_CONTENT`. */
  captureContent?: boolean;
  hideInputs?: boolean;
  hideOutputs?: boolean;
  hideInputMessages?: boolean;
  hideOutputMessages?: boolean;
  hideInputImages?: boolean;
  hideInputText?: boolean;
  hideOutputText?: boolean;
  hideLlmTools?: boolean;
  hideLlmInvocationParameters?: boolean;
  hidePrompts?: boolean;
  hideChoices?: boolean;
  hideEmbeddingsVectors?: boolean;
  hideEmbeddingsText?: boolean;
  /** Longer base64 data URLs are truncated, keeping their `data:…;base64,` prefix. Default 32000. */
  base64ImageMaxLength?: number;
  /**
   * The longest text value written on a span (and kept by a stream reader), in UTF-16 code units; longer
   * text ends in `…[truncated: N chars]`. Env: `INFINIUM_MAX_ATTRIBUTE_LENGTH`. Default 32000, lowered to
   * `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT` / `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT` when one is set lower.
   */
  maxAttributeLength?: number;
  /**
   * Input messages recorded per span: the system message(s) and the most recent ones; the count left out
   * goes in `infinium.input_messages.omitted`. Env: `INFINIUM_MAX_MESSAGES`. Default 32.
   */
  maxMessages?: number;
}

export type TraceConfig = Readonly<Required<TraceConfigOptions>> & {
  /** True when nothing is hidden: masking then only has to cap long text. */
  readonly showsEverything: boolean;
  /**
   * The SDK's attribute count limit as the environment sets it (`OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`, else
   * `OTEL_ATTRIBUTE_COUNT_LIMIT`, else the SDK's 128): the renderer fits the input messages under it.
   */
  readonly attributeCountLimit: number;
};

type Size = 'base64ImageMaxLength' | 'maxAttributeLength' | 'maxMessages';
type Flag = Exclude<keyof TraceConfigOptions, Size>;

/** Each flag and the variables it reads, first match wins (the second spelling is the old one). */
const FLAG_ENV: ReadonlyArray<readonly [Flag, readonly string[]]> = [
  ['captureContent', ['INFINIUM_CAPTURE_CONTENT']],
  ['hideInputs', ['OPENINFERENCE_HIDE_INPUTS']],
  ['hideOutputs', ['OPENINFERENCE_HIDE_OUTPUTS']],
  ['hideInputMessages', ['OPENINFERENCE_HIDE_INPUT_MESSAGES']],
  ['hideOutputMessages', ['OPENINFERENCE_HIDE_OUTPUT_MESSAGES']],
  ['hideInputImages', ['OPENINFERENCE_HIDE_INPUT_IMAGES']],
  ['hideInputText', ['OPENINFERENCE_HIDE_INPUT_TEXT']],
  ['hideOutputText', ['OPENINFERENCE_HIDE_OUTPUT_TEXT']],
  ['hideLlmTools', ['OPENINFERENCE_HIDE_LLM_TOOLS']],
  ['hideLlmInvocationParameters', ['OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS']],
  ['hidePrompts', ['OPENINFERENCE_HIDE_PROMPTS']],
  ['hideChoices', ['OPENINFERENCE_HIDE_CHOICES']],
  ['hideEmbeddingsVectors', ['OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS', 'OPENINFERENCE_HIDE_EMBEDDING_VECTORS']],
  ['hideEmbeddingsText', ['OPENINFERENCE_HIDE_EMBEDDINGS_TEXT']],
];

export const DEFAULT_BASE64_IMAGE_MAX_LENGTH = 32000;
export const DEFAULT_MAX_MESSAGES = 32;
/** The OpenTelemetry SDK's default `attributeCountLimit`. */
export const SDK_ATTRIBUTE_COUNT_LIMIT = 128;

/** The flags that `captureContent: false` forces on: everything that carries content, nothing that carries counts. */
const CONTENT_FLAGS: readonly Flag[] = [
  'hideInputText', 'hideOutputText', 'hideInputImages', 'hidePrompts', 'hideChoices',
  'hideEmbeddingsVectors', 'hideEmbeddingsText',
];

export function resolveTraceConfig(options: TraceConfigOptions = {}, env: Env = processEnv()): TraceConfig {
  const resolved: Record<string, boolean | number> = {};
  for (const [flag, names] of FLAG_ENV) {
    let value: boolean | undefined = typeof options[flag] === 'boolean' ? options[flag] : undefined;
    const fallback = flag === 'captureContent';
    for (let i = 0; value === undefined && i < names.length; i++) value = readBoolean(env, names[i], fallback);
    resolved[flag] = value ?? fallback;
  }
  if (resolved.captureContent === false) for (const flag of CONTENT_FLAGS) resolved[flag] = true;
  resolved.base64ImageMaxLength = sizeOption(options.base64ImageMaxLength) ?? readInteger(env, 'OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH', DEFAULT_BASE64_IMAGE_MAX_LENGTH) ?? DEFAULT_BASE64_IMAGE_MAX_LENGTH;
  resolved.maxMessages = sizeOption(options.maxMessages) ?? readInteger(env, 'INFINIUM_MAX_MESSAGES', DEFAULT_MAX_MESSAGES) ?? DEFAULT_MAX_MESSAGES;
  resolved.maxAttributeLength = maxAttributeLength(options, env);
  const showsEverything =
    resolved.captureContent === true && FLAG_ENV.every(([flag]) => flag === 'captureContent' || resolved[flag] === false);
  const attributeCountLimit =
    readInteger(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? readInteger(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT') ?? SDK_ATTRIBUTE_COUNT_LIMIT;
  return Object.freeze({ ...(resolved as Required<TraceConfigOptions>), showsEverything, attributeCountLimit });
}

function sizeOption(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Ours (option, then env, then default), but never above the SDK's own value length limit: the SDK would
 * cut our text again, silently and without the marker.
 */
function maxAttributeLength(options: TraceConfigOptions, env: Env): number {
  const ours = sizeOption(options.maxAttributeLength) ?? readInteger(env, 'INFINIUM_MAX_ATTRIBUTE_LENGTH', DEFAULT_MAX_ATTRIBUTE_LENGTH) ?? DEFAULT_MAX_ATTRIBUTE_LENGTH;
  const sdk = readInteger(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? readInteger(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT');
  return sdk === undefined ? ours : Math.min(ours, sdk);
}
