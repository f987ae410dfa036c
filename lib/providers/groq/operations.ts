import { LLMProvider } from '@arizeai/openinference-semantic-conventions';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import type { CallRecord } from '../../record/call-record';
import { asRecord } from '../../record/read';
import { chatCompletions } from '../openai/chat';
import { embeddingsCreate } from '../openai/embeddings';
import { readOpenAIUsage } from '../openai/usage';
import { stainlessMethodWrapper, StainlessOperation } from '../stainless/traced-method';
import type { AnyFunction, PatchHost } from '../types';
import { groqSpeech, groqTranscriptions, groqTranslations } from './audio';

/**
 * `groq-sdk` speaks OpenAI's shapes, so the OpenAI adapters read its chat and embeddings requests,
 * responses and chunks; only the provider and the stream's usage differ. Audio is in audio.ts. Loaded when
 * `groq-sdk` is first patched (index.ts).
 */
const GROQ = { provider: LLMProvider.GROQ } as const;

/**
 * Groq's stream carries its usage in `x_groq.usage` on the last chunk, not in `usage`: the OpenAI chunk
 * reader assembles everything else.
 */
class GroqChunkReader implements ChunkReader<unknown> {
  constructor(private readonly record: CallRecord, private readonly chat: ChunkReader<unknown>) {}

  onChunk(value: unknown): void {
    this.chat.onChunk(value);
    const usage = asRecord(asRecord(asRecord(value)?.x_groq)?.usage);
    if (usage) this.record.usage = readOpenAIUsage(usage) ?? this.record.usage;
  }

  onStop(): void {
    this.chat.onStop?.();
  }
}

export const groqChatCompletions: StainlessOperation = {
  ...chatCompletions,
  servedBy: () => GROQ,
  chunkReader: (record) => new GroqChunkReader(record, chatCompletions.chunkReader!(record)),
};

export const groqEmbeddingsCreate: StainlessOperation = { ...embeddingsCreate, servedBy: () => GROQ };

/** The adapter of each method index.ts patches, by the name its table gives. */
const OPERATIONS = {
  chat: groqChatCompletions,
  embeddings: groqEmbeddingsCreate,
  transcriptions: groqTranscriptions,
  translations: groqTranslations,
  speech: groqSpeech,
} satisfies Record<string, StainlessOperation>;

export type GroqOperationName = keyof typeof OPERATIONS;

export function groqMethodWrapper(host: PatchHost, name: GroqOperationName): (original: AnyFunction) => AnyFunction {
  return stainlessMethodWrapper(host, OPERATIONS[name]);
}
