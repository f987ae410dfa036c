/**
 * What the masking does to each kind of attribute, as data: which settings leave it out, which turn it into
 * `__REDACTED__`, which reduce it to what cannot carry text. `content-keys.ts` says which keys are of which
 * kind; `mask.ts` applies the two; the docs' masking tables are generated from both (test/docs).
 */

/**
 * A setting that hides something: a `TraceConfig` flag, `captureOff` (`captureContent: false`, beyond the
 * flags it turns on) or `always` (credentials, whatever the configuration).
 */
export type HideFlag =
  | 'always'
  | 'captureOff'
  | 'hideInputs'
  | 'hideOutputs'
  | 'hideInputMessages'
  | 'hideOutputMessages'
  | 'hideInputImages'
  | 'hideInputText'
  | 'hideOutputText'
  | 'hideLlmTools'
  | 'hideLlmInvocationParameters'
  | 'hidePrompts'
  | 'hideChoices'
  | 'hideEmbeddingsVectors'
  | 'hideEmbeddingsText';

/** How a value is reduced instead of hidden whole: to its settings, or to the tools' names. */
export type Reduction = 'settings' | 'toolNames';

export interface Treatment {
  /** How the docs name this kind of attribute. */
  readonly label: string;
  /** Left out (key and all) under any of these; checked first. */
  readonly drop?: readonly HideFlag[];
  /** Reduced under any of these (a value that cannot be reduced is left out); checked second. */
  readonly reduce?: { readonly by: readonly HideFlag[]; readonly to: Reduction };
  /** `__REDACTED__` under any of these. */
  readonly redact?: readonly HideFlag[];
}

const IN_MESSAGES: readonly HideFlag[] = ['hideInputs', 'hideInputMessages'];
const OUT_MESSAGES: readonly HideFlag[] = ['hideOutputs', 'hideOutputMessages'];
const IN_TEXT: readonly HideFlag[] = ['hideInputs', 'hideInputMessages', 'hideInputText'];
const OUT_TEXT: readonly HideFlag[] = ['hideOutputs', 'hideOutputMessages', 'hideOutputText'];

/**
 * The kinds, in the order the docs list them. `captureContent: false` turns on the text, image, prompt,
 * choice and embedding flags (trace-config.ts); `captureOff` below is only what it does beyond them.
 * Input text follows the OpenInference spec: hidden by HIDE_INPUTS, HIDE_INPUT_MESSAGES and
 * HIDE_INPUT_TEXT alike (the spec says so of embedding text); output text mirrors it.
 */
export const TREATMENTS = {
  inputValue: { label: '`input.value`', redact: ['hideInputs', 'captureOff'] },
  inputMimeType: { label: '`input.mime_type`', drop: ['hideInputs'] },
  outputValue: { label: '`output.value`', redact: ['hideOutputs', 'captureOff'] },
  outputMimeType: { label: '`output.mime_type`', drop: ['hideOutputs'] },
  inputMessageStructure: { label: 'input message structure (roles, names, tool-call ids and names, part types)', drop: IN_MESSAGES },
  inputMessageText: { label: 'input message text (content, text parts, tool-call arguments)', drop: IN_MESSAGES, redact: ['hideInputText'] },
  inputMessageImage: { label: 'images in input messages', drop: [...IN_MESSAGES, 'hideInputImages'] },
  inputMessageMedia: { label: 'audio, video and raw data in input messages', drop: [...IN_MESSAGES, 'captureOff'] },
  inputImage: { label: 'span input images (`input.images`)', drop: ['hideInputs', 'hideInputImages'] },
  outputMessageStructure: { label: 'output message structure', drop: OUT_MESSAGES },
  outputMessageText: { label: 'output message text (content, text parts, tool-call arguments)', drop: OUT_MESSAGES, redact: ['hideOutputText'] },
  outputMessageMedia: { label: 'images, audio, video and raw data in output messages', drop: [...OUT_MESSAGES, 'captureOff'] },
  outputImage: { label: 'span output images (`output.images`)', drop: ['hideOutputs', 'captureOff'] },
  tools: { label: 'tools offered to the model (`llm.tools`)', drop: ['hideLlmTools', 'hideInputs'], reduce: { by: ['captureOff'], to: 'toolNames' } },
  toolStructure: { label: 'tool names and ids in `llm.tools`', drop: ['hideLlmTools', 'hideInputs'] },
  toolDefinitions: { label: 'other tool definitions and descriptions', drop: ['hideLlmTools', 'hideInputs'], redact: ['captureOff'] },
  invocationParameters: {
    label: '`llm.invocation_parameters`',
    drop: ['hideLlmInvocationParameters'],
    reduce: { by: ['captureOff', 'hideInputs', 'hideInputText'], to: 'settings' },
  },
  prompts: { label: 'text-completion prompts (`llm.prompts`)', drop: ['hidePrompts', 'hideInputs'] },
  choices: { label: 'text-completion choices (`llm.choices`)', drop: ['hideChoices', 'hideOutputs'] },
  embeddingText: { label: 'embedded text', redact: ['hideEmbeddingsText', ...IN_TEXT] },
  embeddingVector: { label: 'embedding vectors', drop: ['hideEmbeddingsVectors'] },
  inputContent: { label: 'other input content (documents given, queries, templates, tool arguments, other libraries\' prompts)', redact: IN_TEXT },
  outputContent: { label: 'other output content (documents found, tool results, other libraries\' answers)', redact: OUT_TEXT },
  credential: { label: 'credentials (authorization and API-key headers)', redact: ['always'] },
  notContent: { label: 'not content (names, ids, URIs, roles, mime types, models, counts, scores, settings)' },
} as const satisfies Record<string, Treatment>;

export type Category = keyof typeof TREATMENTS;
