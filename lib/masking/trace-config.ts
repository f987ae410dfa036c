import { Env, processEnv, readBoolean, readInteger } from '../config/env';

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
}

export type TraceConfig = Readonly<Required<TraceConfigOptions>> & {
  /** True when nothing is hidden: masking then only has to look at long data URLs. */
  readonly showsEverything: boolean;
};

type Flag = Exclude<keyof TraceConfigOptions, 'base64ImageMaxLength'>;

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
  const maxFromOptions = options.base64ImageMaxLength;
  resolved.base64ImageMaxLength =
    typeof maxFromOptions === 'number' && Number.isInteger(maxFromOptions) && maxFromOptions >= 0
      ? maxFromOptions
      : readInteger(env, 'OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH', DEFAULT_BASE64_IMAGE_MAX_LENGTH) ?? DEFAULT_BASE64_IMAGE_MAX_LENGTH;
  const showsEverything =
    resolved.captureContent === true && FLAG_ENV.every(([flag]) => flag === 'captureContent' || resolved[flag] === false);
  return Object.freeze({ ...(resolved as Required<TraceConfigOptions>), showsEverything });
}
