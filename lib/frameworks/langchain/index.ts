import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import type { CallRuntime } from '../../instrumentation/llm-call';
import type { PatchHost, ProviderInstrumentation } from '../../providers/types';
import { bothBuilds, LANGCHAIN_CORE, LANGCHAIN_CORE_VERSIONS, LANGCHAIN_FILES, LANGGRAPH, LANGGRAPH_FILES, LANGGRAPH_VERSIONS } from './files';
import { LangChainHandler } from './handler';
import { patchRunWithConfig, unpatchRunWithConfig } from './patch-async-storage';
import { patchCallbackManager, unpatchCallbackManager } from './patch-callbacks';
import {
  CHAT_MODEL_SCOPES, LLM_SCOPES, patchScopes, PREGEL_SCOPES, RETRIEVER_SCOPES, RUNNABLE_SCOPES, ScopedClasses, unpatchScopes,
} from './patch-scopes';

/**
 * One handler per instrumentation instance (its runtime), however many times its definitions are made
 * (`manuallyInstrument` makes them again) and however many copies of `@langchain/core` it patches: a
 * run's children can be seen by the handler of either build, and each run has one span.
 */
const handlers = new WeakMap<CallRuntime, LangChainHandler>();

function handlerOf(runtime: CallRuntime): LangChainHandler {
  let handler = handlers.get(runtime);
  if (!handler) handlers.set(runtime, (handler = new LangChainHandler(runtime)));
  return handler;
}

/** One patched file of a package (both its builds). */
interface FilePatch {
  readonly file: string;
  patch(host: PatchHost, module: unknown, handler: () => LangChainHandler): void;
  unpatch(host: PatchHost, module: unknown): void;
}

function scopes(file: string, classes: ScopedClasses): FilePatch {
  return {
    file,
    patch: (host, module, handler) => patchScopes(host, module, classes, handler),
    unpatch: (host, module) => unpatchScopes(host, module, classes),
  };
}

const CORE_PATCHES: readonly FilePatch[] = [
  { file: LANGCHAIN_FILES.callbackManager, patch: patchCallbackManager, unpatch: unpatchCallbackManager },
  { file: LANGCHAIN_FILES.asyncLocalStorage, patch: patchRunWithConfig, unpatch: unpatchRunWithConfig },
  scopes(LANGCHAIN_FILES.chatModels, CHAT_MODEL_SCOPES),
  scopes(LANGCHAIN_FILES.llms, LLM_SCOPES),
  scopes(LANGCHAIN_FILES.retrievers, RETRIEVER_SCOPES),
  scopes(LANGCHAIN_FILES.runnables, RUNNABLE_SCOPES),
];

const LANGGRAPH_PATCHES: readonly FilePatch[] = [scopes(LANGGRAPH_FILES.pregel, PREGEL_SCOPES)];

function hookedFiles(host: PatchHost, packageName: string, versions: string[], patches: readonly FilePatch[]): InstrumentationNodeModuleFile[] {
  const handler = () => handlerOf(host.runtime);
  return patches.flatMap(({ file, patch, unpatch }) =>
    bothBuilds(packageName, file).map(
      (name) =>
        new InstrumentationNodeModuleFile(
          name,
          versions,
          (module: unknown) => {
            try {
              patch(host, module, handler);
            } catch (err) {
              diag.debug(`@infinium/otel: patching ${name} failed; its runs are not traced`, err);
            }
            return module;
          },
          (module: unknown) => {
            try {
              unpatch(host, module);
            } catch (err) {
              diag.debug(`@infinium/otel: unpatching ${name} failed`, err);
            }
          },
        ),
    ),
  );
}

/** A package whose entry needs no patch: its files do. */
function filesDefinition(host: PatchHost, packageName: string, versions: string[], patches: readonly FilePatch[]): InstrumentationNodeModuleDefinition {
  return new InstrumentationNodeModuleDefinition(packageName, versions, (module: unknown) => module, undefined, hookedFiles(host, packageName, versions, patches));
}

/**
 * LangChain.js and LangGraph.js (which runs on `@langchain/core`'s runnables and callbacks): every run a
 * span, parented by run id, with no code in the app.
 */
export const langchainInstrumentation: ProviderInstrumentation = {
  name: 'langchain',
  definitions: (host: PatchHost) => [
    filesDefinition(host, LANGCHAIN_CORE, LANGCHAIN_CORE_VERSIONS, CORE_PATCHES),
    filesDefinition(host, LANGGRAPH, LANGGRAPH_VERSIONS, LANGGRAPH_PATCHES),
  ],
};
