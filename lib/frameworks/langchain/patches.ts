import { diag } from '@opentelemetry/api';
import type { CallRuntime } from '../../instrumentation/llm-call';
import type { PatchHost } from '../../instrumentation/patching';
import { LANGCHAIN_CORE, LANGCHAIN_FILES, LANGGRAPH, LANGGRAPH_FILES } from './files';
import { LangChainHandler } from './handler';
import { patchRunWithConfig, unpatchRunWithConfig } from './patch-async-storage';
import { patchCallbackManager, unpatchCallbackManager } from './patch-callbacks';
import {
  CHAT_MODEL_SCOPES, LLM_SCOPES, patchScopes, PREGEL_SCOPES, RETRIEVER_SCOPES, RUNNABLE_SCOPES, ScopedClasses, TOOL_SCOPES, unpatchScopes,
} from './patch-scopes';

/**
 * The patches of LangChain's files, and the handler they add. index.ts loads this module the first time a
 * LangChain file is patched: an app that never loads `@langchain/core` loads none of it.
 */

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
  patch(host: PatchHost, module: unknown, handler: () => LangChainHandler): void;
  unpatch(host: PatchHost, module: unknown): void;
}

function scopes(classes: ScopedClasses): FilePatch {
  return {
    patch: (host, module, handler) => patchScopes(host, module, classes, handler),
    unpatch: (host, module) => unpatchScopes(host, module, classes),
  };
}

type FileKey = keyof typeof LANGCHAIN_FILES | keyof typeof LANGGRAPH_FILES;

/** Each file's patch, by its key in files.ts. */
const FILE_PATCHES: Readonly<Record<FileKey, FilePatch>> = {
  callbackManager: { patch: patchCallbackManager, unpatch: unpatchCallbackManager },
  asyncLocalStorage: { patch: patchRunWithConfig, unpatch: unpatchRunWithConfig },
  chatModels: scopes(CHAT_MODEL_SCOPES),
  llms: scopes(LLM_SCOPES),
  retrievers: scopes(RETRIEVER_SCOPES),
  tools: scopes(TOOL_SCOPES),
  runnables: scopes(RUNNABLE_SCOPES),
  pregel: scopes(PREGEL_SCOPES),
};

/** The keys of a package's files (files.ts). */
const PACKAGE_FILES: Readonly<Record<string, readonly FileKey[]>> = {
  [LANGCHAIN_CORE]: Object.keys(LANGCHAIN_FILES) as FileKey[],
  [LANGGRAPH]: Object.keys(LANGGRAPH_FILES) as FileKey[],
};

/**
 * Patches `module` as the patch of file `file` of `packageName` finds it; `file` undefined (the package's
 * entry, or a module a bundled app hands `manuallyInstrument`): every file's patch of the package is tried
 * (each looks for its own exports). What fails is skipped: those runs are not traced, the app runs on.
 */
export function patchModule(host: PatchHost, packageName: string, file: string | undefined, module: unknown): void {
  const handler = () => handlerOf(host.runtime);
  for (const key of keysOf(packageName, file)) {
    try {
      FILE_PATCHES[key].patch(host, module, handler);
    } catch (err) {
      diag.debug(`@infinium/otel: patching ${packageName} ${file ?? ''} failed; its runs are not traced`, err);
    }
  }
}

export function unpatchModule(host: PatchHost, packageName: string, file: string | undefined, module: unknown): void {
  for (const key of keysOf(packageName, file)) {
    try {
      FILE_PATCHES[key].unpatch(host, module);
    } catch (err) {
      diag.debug(`@infinium/otel: unpatching ${packageName} ${file ?? ''} failed`, err);
    }
  }
}

function keysOf(packageName: string, file: string | undefined): readonly FileKey[] {
  const keys = PACKAGE_FILES[packageName] ?? [];
  return file === undefined ? keys : keys.filter((key) => key === file);
}
