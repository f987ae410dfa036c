import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { stainlessMethodWrapper, StainlessOperation } from '../stainless/traced-method';
import { moduleExports, PatchHost, prototypeAt, ProviderInstrumentation } from '../types';
import { chatCompletions } from './chat';
import { legacyCompletions } from './completions';
import { embeddingsCreate } from './embeddings';
import { responsesCreate } from './responses';

/** The `openai` versions we patch. 5.x and 6.x are tested; 4.x shares the same resource classes. */
export const OPENAI_VERSIONS = ['>=4.0.0 <8'];

/** Each patched method: where its resource class hangs off the `OpenAI` class, and its adapter. */
const METHODS: ReadonlyArray<{ path: readonly string[]; op: StainlessOperation }> = [
  { path: ['Chat', 'Completions'], op: chatCompletions },
  { path: ['Responses'], op: responsesCreate },
  { path: ['Completions'], op: legacyCompletions },
  { path: ['Embeddings'], op: embeddingsCreate },
];

function resourcePrototypes(module: unknown): Array<{ proto: Record<string, unknown>; op: StainlessOperation }> {
  // CommonJS exports a function with an `OpenAI` property; the ESM default export is the class, which has one too.
  const exports = moduleExports<{ OpenAI?: unknown } | undefined>(module);
  const OpenAI = exports?.OpenAI ?? exports;
  const found: Array<{ proto: Record<string, unknown>; op: StainlessOperation }> = [];
  for (const { path, op } of METHODS) {
    const proto = prototypeAt(OpenAI, path);
    if (proto && typeof proto.create === 'function') found.push({ proto, op });
  }
  return found;
}

export const openaiInstrumentation: ProviderInstrumentation = {
  name: 'openai',
  definitions(host: PatchHost) {
    return [
      new InstrumentationNodeModuleDefinition(
        'openai',
        OPENAI_VERSIONS,
        (module) => {
          for (const { proto, op } of resourcePrototypes(module)) host.wrap(proto, 'create', stainlessMethodWrapper(host, op));
          return module;
        },
        (module) => {
          if (module) for (const { proto } of resourcePrototypes(module)) host.unwrap(proto, 'create');
        },
      ),
    ];
  },
};
