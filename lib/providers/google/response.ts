import { CallRecord, noteFinishReason, noteOmitted, Usage } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { asArray, asNumber, asRecord, asReportedNumber, asString, Json, TextAccumulator } from '../../record/read';
import { IndexedSlots, keptMessages, keptParts, OutputBuffers, shortString } from '../../record/bounded';
import { DEFAULT_MAX_OUTPUT_PARTS } from '../../config/record-limits';
import { tokenSum } from '../../record/usage';
import { contentToMessages, embeddingVector } from './content';

/**
 * Gemini `usageMetadata`. As OpenInference does for Gemini, the prompt count includes the tool-use prompt
 * and the completion count includes the thoughts (they are billed as output), so that prompt + completion
 * = `totalTokenCount`; the thoughts also go in the reasoning detail, the cached prompt in cache_read.
 */
export function readGeminiUsage(value: unknown): Usage | undefined {
  const u = asRecord(value);
  if (!u) return undefined;
  const prompt = asReportedNumber(u.promptTokenCount);
  const toolUsePrompt = asReportedNumber(u.toolUsePromptTokenCount);
  const candidates = asReportedNumber(u.candidatesTokenCount);
  const thoughts = asReportedNumber(u.thoughtsTokenCount);
  return {
    prompt: tokenSum(prompt, toolUsePrompt),
    completion: tokenSum(candidates, thoughts),
    total: asReportedNumber(u.totalTokenCount),
    cacheRead: asReportedNumber(u.cachedContentTokenCount),
    reasoning: thoughts,
    promptAudio: audioTokens(u.promptTokensDetails),
    completionAudio: audioTokens(u.candidatesTokensDetails),
  };
}

/** Gemini's modalities (TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT), with room to spare. */
const MAX_MODALITIES = 16;

/** The AUDIO entry of a per-modality token list (`[{ modality: 'AUDIO', tokenCount }]`). */
function audioTokens(details: unknown): number | undefined {
  let total: number | undefined;
  // One entry per modality: a list longer than that is not read to its end.
  const list = asArray(details);
  for (let i = 0; i < list.length && i < MAX_MODALITIES; i++) {
    const d = asRecord(list[i]);
    if (d?.modality === 'AUDIO') total = tokenSum(total, asReportedNumber(d.tokenCount));
  }
  return total;
}

/** A GenerateContentResponse: model version, one output message per candidate, finish reason, usage. */
export function readGenerateContentResponse(record: CallRecord, value: unknown): void {
  const response = asRecord(value);
  if (!response) return;
  record.responseModel = asString(response.modelVersion) ?? record.responseModel;
  record.responseId = asString(response.responseId) ?? record.responseId;
  // Only the candidates and parts a record keeps are read: 200,000 of them cost what 128 do.
  const candidates = keptMessages(response.candidates, record);
  record.outputMessages = candidates.flatMap((c) => contentToMessages(keptContent(asRecord(asRecord(c)?.content), record), 'assistant'));
  candidates.forEach((candidate, i) => noteFinishReason(record, i, asString(asRecord(candidate)?.finishReason)));
  record.usage = readGeminiUsage(response.usageMetadata) ?? record.usage;
}

/** A candidate's content with its first DEFAULT_MAX_OUTPUT_PARTS parts (the same object when it has no more). */
function keptContent(content: Json | undefined, record: CallRecord): Json | undefined {
  if (!content || !Array.isArray(content.parts)) return content;
  const parts = keptParts(content.parts, record);
  return parts === content.parts ? content : { ...content, parts };
}

/** `embeddings[i].values` (batch, and genai) or `embedding.values` (legacy single) as the record's vectors. */
export function readEmbeddingResponse(record: CallRecord, value: unknown): void {
  const response = asRecord(value);
  if (!response) return;
  const list = Array.isArray(response.embeddings) ? response.embeddings : response.embedding ? [response.embedding] : [];
  const embeddings = record.embeddings ?? [];
  list.forEach((item, i) => {
    const vector = embeddingVector(item);
    embeddings[i] = { ...embeddings[i], vector };
  });
  record.embeddings = embeddings;
}

/**
 * Assembles streamed GenerateContentResponse chunks: the parts of each candidate in order (text pieces are
 * joined when the message is built), the finish reason, and usage from the last chunk that carries
 * `usageMetadata` (Gemini repeats running totals; the last one is final).
 */
export class GeminiChunkAssembler implements ChunkReader<unknown> {
  private readonly buffers: OutputBuffers;
  private readonly candidates: IndexedSlots<CandidateState>;
  /** Non-text parts (function calls, images, …) still to keep, over all candidates. */
  private partsLeft = DEFAULT_MAX_OUTPUT_PARTS;

  constructor(private readonly record: CallRecord, private readonly options: { modelVersion?: boolean } = {}) {
    this.buffers = new OutputBuffers(record);
    this.candidates = this.buffers.messages((): CandidateState => ({ parts: [] }));
  }

  onChunk(value: unknown): void {
    const chunk = asRecord(value);
    if (!chunk) return;
    if (this.options.modelVersion !== false && typeof chunk.modelVersion === 'string') this.record.responseModel = chunk.modelVersion;
    if (typeof chunk.responseId === 'string') this.record.responseId = chunk.responseId;
    if (chunk.usageMetadata) this.record.usage = readGeminiUsage(chunk.usageMetadata) ?? this.record.usage;
    asArray(chunk.candidates).forEach((item, position) => {
      const candidate = asRecord(item);
      if (!candidate) return;
      const index = asNumber(candidate.index) ?? position;
      const state = this.candidates.at(index);
      if (!state) return;
      const content = asRecord(candidate.content);
      if (content?.role !== undefined) state.role = shortString(content.role) ?? content.role;
      for (const part of asArray(content?.parts)) this.keepPart(state, part);
      noteFinishReason(this.record, index, asString(candidate.finishReason));
    });
  }

  onStop(): void {
    this.record.outputMessages = this.candidates.ordered().flatMap((state) => {
      const parts = state.parts.map((part) => (part instanceof StreamedText ? part.part() : part));
      return contentToMessages({ role: state.role, parts } as Json, 'assistant');
    });
  }

  /**
   * Every text part of a candidate goes into one bounded accumulator (one for its answer, one for its
   * thoughts), kept where the first such part was (Gemini sends one text part per chunk, and the message
   * joins them anyway), and at most DEFAULT_MAX_OUTPUT_PARTS other parts are kept over the call: an
   * endless stream holds flat memory. Text that came after an image is therefore shown before it.
   */
  private keepPart(state: CandidateState, value: unknown): void {
    const part = asRecord(value);
    if (part && typeof part.text === 'string') {
      const thought = part.thought === true;
      let text = thought ? state.thoughts : state.text;
      if (!text) {
        text = new StreamedText(this.buffers.text(), thought);
        if (thought) state.thoughts = text;
        else state.text = text;
        state.parts.push(text);
      }
      text.acc.add(part.text);
    } else if (this.partsLeft > 0) {
      this.partsLeft--;
      state.parts.push(value);
    } else {
      noteOmitted(this.record, 'outputParts', 1);
    }
  }
}

/** The joined text parts of a candidate: its answer, or its thoughts. */
class StreamedText {
  constructor(
    readonly acc: TextAccumulator,
    readonly thought: boolean,
  ) {}

  /** The one Gemini part they make. */
  part(): Json {
    const text = this.acc.text() ?? '';
    return this.thought ? { text, thought: true } : { text };
  }
}

interface CandidateState {
  role?: unknown;
  parts: Array<unknown | StreamedText>;
  text?: StreamedText;
  thoughts?: StreamedText;
}
