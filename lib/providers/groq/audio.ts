import type { CallRecord } from '../../record/call-record';
import { asRecord, asString, Json, without } from '../../record/read';
import { openaiServer } from '../openai/client';
import type { StainlessOperation } from '../stainless/traced-method';

/**
 * Groq's audio endpoints (`audio.transcriptions`, `audio.translations`, `audio.speech`), OpenAI's shapes.
 * Each is an LLM span whose operation names what it does (`transcription`, `translation`, `speech`): the
 * model is an LLM-served model and the call is billed like one, and OpenInference has no audio kind.
 *
 * The audio itself is never recorded: the upload (`file`, or the `url` it is fetched from, which may be a
 * signed link) is left out of the parameters, and a speech answer is the SDK's binary `Response`, which we
 * do not read. What is recorded: the model, the parameters, the text the model was given (a transcription's
 * `prompt`, the text to speak) as input, and the text it answered (transcription, translation) as output.
 */
const GROQ = { provider: 'groq' } as const;

/** Request keys that are content or the audio, not invocation parameters. */
const NOT_PARAMETERS = new Set(['file', 'url', 'prompt', 'input']);

function readPrompt(record: CallRecord, text: unknown): void {
  const prompt = asString(text);
  if (prompt !== undefined) record.prompts = [prompt];
}

/** `json` and `verbose_json` answers are `{ text, … }`; `response_format: 'text'` gives the text itself. */
function readTranscript(record: CallRecord, data: unknown): void {
  const text = typeof data === 'string' ? data : asString(asRecord(data)?.text);
  if (text !== undefined) record.outputMessages = [{ role: 'assistant', content: text }];
}

function audioOperation(operation: string, readRequest: (record: CallRecord, body: Json) => void, readResponse: StainlessOperation['readResponse']): StainlessOperation {
  return { kind: 'LLM', operation, system: 'openai', servedBy: () => GROQ, server: openaiServer, readRequest, readResponse };
}

function readTranscriptionRequest(record: CallRecord, body: Json): void {
  readPrompt(record, body.prompt);
  record.invocationParameters = without(body, NOT_PARAMETERS);
}

export const groqTranscriptions = audioOperation('transcription', readTranscriptionRequest, readTranscript);
export const groqTranslations = audioOperation('translation', readTranscriptionRequest, readTranscript);

/** Text to speech: the text is the input; the answer is audio, so there is no output to record. */
export const groqSpeech = audioOperation(
  'speech',
  (record, body) => {
    readPrompt(record, body.input);
    record.invocationParameters = without(body, NOT_PARAMETERS);
    record.outputType = 'speech';
  },
  () => undefined,
);
