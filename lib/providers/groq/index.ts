import { LLMProvider } from '@arizeai/openinference-semantic-conventions';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import type { CallRecord } from '../../record/call-record';
import { asRecord } from '../../record/read';
import { chatCompletions } from '../openai/chat';
import { readOpenAIUsage } from '../openai/usage';
import { stainlessMethodWrapper, StainlessOperation } from '../stainless/traced-method';
import { moduleExports, PatchHost, prototypeAt, ProviderInstrumentation } from '../types';

/**
 * `groq-sdk`: a Stainless SDK with OpenAI's Chat Completions shapes, so the OpenAI chat adapter reads its
 * requests, responses and chunks; only the provider and the stream's usage differ. Tested: 1.6.0 and
 * 0.37.0 (the older Stainless generation, with the same `Groq.Chat.Completions` class).
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

function completionsPrototype(module: unknown): Record<string, unknown> | undefined {
  // CommonJS exports a function with a `Groq` property; the ESM default export is the class, which has one
  // too. Nothing else is taken: `manuallyInstrument` hands every provider the app's module, and the
  // `openai` module has the same `Chat.Completions` shape.
  const exports = moduleExports<{ Groq?: unknown } | undefined>(module);
  const proto = prototypeAt(exports?.Groq, ['Chat', 'Completions']);
  return proto && typeof proto.create === 'function' ? proto : undefined;
}

export const groqInstrumentation: ProviderInstrumentation = {
  name: 'groq',
  definitions(host: PatchHost) {
    return [
      new InstrumentationNodeModuleDefinition(
        'groq-sdk',
        GROQ_VERSIONS,
        (module) => {
          const proto = completionsPrototype(module);
          if (proto) host.wrap(proto, 'create', stainlessMethodWrapper(host, groqChatCompletions));
          return module;
        },
        (module) => {
          const proto = module ? completionsPrototype(module) : undefined;
          if (proto) host.unwrap(proto, 'create');
        },
      ),
    ];
  },
};
