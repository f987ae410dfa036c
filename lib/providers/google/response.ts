import { CallRecord, noteFinishReason, Usage } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { asArray, asNumber, asRecord, asReportedNumber, asString, Json, TextAccumulator } from '../../record/read';
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
  const candidates = asArray(response.candidates);
  record.outputMessages = candidates.flatMap((c) => contentToMessages(asRecord(asRecord(c)?.content), 'assistant'));
  candidates.forEach((candidate, i) => noteFinishReason(record, i, asString(asRecord(candidate)?.finishReason)));
  record.usage = readGeminiUsage(response.usageMetadata) ?? record.usage;
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
  private readonly candidates = new Map<number, CandidateState>();

  constructor(private readonly record: CallRecord, private readonly options: { modelVersion?: boolean } = {}) {}

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
      let state = this.candidates.get(index);
      if (!state) this.candidates.set(index, (state = { parts: [] }));
      const content = asRecord(candidate.content);
      if (content?.role !== undefined) state.role = content.role;
      for (const part of asArray(content?.parts)) this.keepPart(state, part);
      noteFinishReason(this.record, index, asString(candidate.finishReason));
    });
  }

  onStop(): void {
    const indexes = [...this.candidates.keys()].sort((a, b) => a - b);
    this.record.outputMessages = indexes.flatMap((i) => {
      const state = this.candidates.get(i)!;
      const parts = state.parts.map((part) => (part instanceof TextAccumulator ? { text: part.text() ?? '' } : part));
      return contentToMessages({ role: state.role, parts } as Json, 'assistant');
    });
  }

  /**
   * Every plain text part of a candidate goes into one bounded accumulator, kept where the first text part
   * was (Gemini sends one text part per chunk, and the message joins them anyway), and at most
   * MAX_STORED_PARTS other parts are kept: an endless stream holds flat memory. Text that came after an
   * image is therefore shown before it.
   */
  private keepPart(state: CandidateState, value: unknown): void {
    const part = asRecord(value);
    if (part && isPlainText(part)) {
      if (!state.text) {
        state.text = new TextAccumulator(this.record.textLimit);
        state.parts.push(state.text);
      }
      state.text.add(part.text);
    } else if (state.parts.length < MAX_STORED_PARTS) {
      state.parts.push(value);
    }
  }
}

interface CandidateState {
  role?: unknown;
  parts: Array<unknown | TextAccumulator>;
  text?: TextAccumulator;
}

const MAX_STORED_PARTS = 128;

function isPlainText(part: Json): part is Json & { text: string } {
  return typeof part.text === 'string' && part.thought !== true;
}
