import { LLMProvider } from '@arizeai/openinference-semantic-conventions';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import type { CallRecord } from '../../record/call-record';
import { asRecord } from '../../record/read';
import { chatCompletions } from '../openai/chat';
import { embeddingsCreate } from '../openai/embeddings';
import { readOpenAIUsage } from '../openai/usage';
import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { stainlessMethodWrapper, StainlessOperation } from '../stainless/traced-method';
import { moduleExports, PatchHost, ProviderInstrumentation } from '../types';
import { groqSpeech, groqTranscriptions, groqTranslations } from './audio';

/**
 * `groq-sdk`: a Stainless SDK with OpenAI's shapes, so the OpenAI adapters read its chat and embeddings
 * requests, responses and chunks; only the provider and the stream's usage differ. Audio is in audio.ts.
 * Tested: 1.6.0 and 0.37.0 (the older Stainless generation, with the same resource classes).
 */
export const GROQ_VERSIONS = ['>=0.3.0 <2'];

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

/**
 * Every traced method, below the `Groq` class. CommonJS exports a function with a `Groq` property; the ESM
 * default export is the class, which has one too. Nothing else is taken: `manuallyInstrument` hands every
 * provider the app's module, and the `openai` module has the same `Chat.Completions` shape.
 */
const METHODS: MethodTable<StainlessOperation> = {
  roots: (module) => [moduleExports<{ Groq?: unknown } | undefined>(module)?.Groq],
  methods: [
    { path: ['Chat', 'Completions'], method: 'create', operation: groqChatCompletions },
    { path: ['Embeddings'], method: 'create', operation: groqEmbeddingsCreate },
    { path: ['Audio', 'Transcriptions'], method: 'create', operation: groqTranscriptions },
    { path: ['Audio', 'Translations'], method: 'create', operation: groqTranslations },
    { path: ['Audio', 'Speech'], method: 'create', operation: groqSpeech },
  ],
  wrapper: stainlessMethodWrapper,
};

export const groqInstrumentation: ProviderInstrumentation = {
  name: 'groq',
  definitions: (host: PatchHost) => [tableDefinition(host, 'groq-sdk', GROQ_VERSIONS, [METHODS])],
};
