import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { registerEsmLoaderHookLate } from '../../instrumentation/esm-loader-hook';
import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { onFirstUse } from '../../providers/lazy-load';
import { moduleExports, PatchHost, ProviderInstrumentation } from '../../providers/types';
import { LLAMAINDEX, LLAMAINDEX_SDK_IMPORTERS, LLAMAINDEX_VERSIONS } from './files';
import type * as Runs from './runs';
import type { LlamaIndexOperation } from './runs';

/** The run code (records, streams, span handling) loads when a LlamaIndex file is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runs = onFirstUse(() => require('./runs') as typeof Runs);

/**
 * The public methods every engine and retriever runs through, on the classes `llamaindex` re-exports from
 * `@llamaindex/core` (files.ts says why through it): a query engine's `query` (every engine
 * inherits BaseQueryEngine's), a retriever's `retrieve` (BaseRetriever's, which calls the subclass's
 * `_retrieve`), and the two chat engines' `chat`. LlamaIndex's callback events are not used: they are
 * dispatched in a later microtask, carry no error (a failed query sends no `query-end`), and cannot make
 * our span the parent of the work that follows them; the method's own call does all three.
 */
const METHODS: MethodTable<LlamaIndexOperation> = {
  roots: (module) => [module, moduleExports(module)],
  methods: [
    { path: ['BaseQueryEngine'], method: 'query', operation: 'query' },
    { path: ['BaseRetriever'], method: 'retrieve', operation: 'retrieve' },
    { path: ['ContextChatEngine'], method: 'chat', operation: 'chat' },
    { path: ['SimpleChatEngine'], method: 'chat', operation: 'chat' },
  ],
  wrapper: (host, operation) => runs().runWrapper(host, operation),
};

/** Loading a provider package that `import()`s its SDK registers the ESM hook a CommonJS app deferred. */
function sdkImporterDefinition(name: string): InstrumentationNodeModuleDefinition {
  const hook = (module: unknown) => {
    registerEsmLoaderHookLate(`require('${name}')`);
    return module;
  };
  return new InstrumentationNodeModuleDefinition(name, ['*'], hook, () => undefined);
}

/**
 * LlamaIndex.TS: a query or chat engine run is a CHAIN span, a retrieval a RETRIEVER span with its
 * documents and scores, and the model call below them the LLM span of the SDK patch (LlamaIndex's OpenAI
 * class calls the `openai` SDK); nothing of LlamaIndex's own LLM layer becomes a second one.
 */
export const llamaindexInstrumentation: ProviderInstrumentation = {
  name: 'llamaindex',
  definitions: (host: PatchHost) => [
    tableDefinition(host, LLAMAINDEX, LLAMAINDEX_VERSIONS, [METHODS]),
    ...LLAMAINDEX_SDK_IMPORTERS.map(sdkImporterDefinition),
  ],
};
