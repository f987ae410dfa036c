import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import type { CallRuntime } from '../../instrumentation/llm-call';
import type { PatchHost, ProviderInstrumentation } from '../../providers/types';
import { bothBuilds, LANGCHAIN_CORE, LANGCHAIN_CORE_VERSIONS, LANGCHAIN_FILES, LANGGRAPH, LANGGRAPH_FILES, LANGGRAPH_VERSIONS } from './files';
import { LangChainHandler } from './handler';
import { patchRunWithConfig, unpatchRunWithConfig } from './patch-async-storage';
import { patchCallbackManager, unpatchCallbackManager } from './patch-callbacks';
import {
  CHAT_MODEL_SCOPES, LLM_SCOPES, patchScopes, PREGEL_SCOPES, RETRIEVER_SCOPES, RUNNABLE_SCOPES, ScopedClasses, TOOL_SCOPES, unpatchScopes,
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
  scopes(LANGCHAIN_FILES.tools, TOOL_SCOPES),
  scopes(LANGCHAIN_FILES.runnables, RUNNABLE_SCOPES),
];

const LANGGRAPH_PATCHES: readonly FilePatch[] = [scopes(LANGGRAPH_FILES.pregel, PREGEL_SCOPES)];

/** Patches `module` as each of `patches` finds it (each looks for its own exports); what fails is skipped. */
function patchAll(host: PatchHost, patches: readonly FilePatch[], name: string) {
  const handler = () => handlerOf(host.runtime);
  return {
    patch: (module: unknown) => {
      for (const { patch } of patches) {
        try {
          patch(host, module, handler);
        } catch (err) {
          diag.debug(`@infinium/otel: patching ${name} failed; its runs are not traced`, err);
        }
      }
      return module;
    },
    unpatch: (module: unknown) => {
      for (const { unpatch } of patches) {
        try {
          unpatch(host, module);
        } catch (err) {
          diag.debug(`@infinium/otel: unpatching ${name} failed`, err);
        }
      }
    },
  };
}

/**
 * A package whose files are hooked, each build of each file with its patch. The entry's patch tries them
 * all: the package's entry exports none of these classes, but a bundled app hands `manuallyInstrument` the
 * modules that do (`@langchain/core/callbacks/manager`, `/singletons`, `/runnables`, …).
 */
function filesDefinition(host: PatchHost, packageName: string, versions: string[], patches: readonly FilePatch[]): InstrumentationNodeModuleDefinition {
  const files = patches.flatMap((one) =>
    bothBuilds(packageName, one.file).map((name) => {
      const { patch, unpatch } = patchAll(host, [one], name);
      return new InstrumentationNodeModuleFile(name, versions, patch, unpatch);
    }),
  );
  const entry = patchAll(host, patches, packageName);
  return new InstrumentationNodeModuleDefinition(packageName, versions, entry.patch, entry.unpatch, files);
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
