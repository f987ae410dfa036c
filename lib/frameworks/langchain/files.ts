/**
 * Where LangChain's classes live in `@langchain/core`: one place for the require/import hooks and the ESM
 * loader's include list. Each file exists twice in the package, as its CommonJS copy (`.cjs`) and its ESM
 * copy (`.js`); an app can load both in one process, and each copy has its own classes, so both are patched.
 * The paths are the same in core 0.3 and 1.x.
 */
export const LANGCHAIN_CORE = '@langchain/core';

/** 0.3 (the last of it, 0.3.80) and 1.x are read and tested. */
export const LANGCHAIN_CORE_VERSIONS = ['>=0.3.0 <2'];

export const LANGCHAIN_FILES = {
  callbackManager: 'dist/callbacks/manager',
  asyncLocalStorage: 'dist/singletons/async_local_storage/index',
  chatModels: 'dist/language_models/chat_models',
  llms: 'dist/language_models/llms',
  retrievers: 'dist/retrievers/index',
  tools: 'dist/tools/index',
  runnables: 'dist/runnables/base',
} as const;

/** LangGraph runs on core's runnables and callbacks; only a graph's stream (`Pregel._streamIterator`) is its own. */
export const LANGGRAPH = '@langchain/langgraph';

/** 0.4 (the last of it, 0.4.10) and 1.x are read and tested. */
export const LANGGRAPH_VERSIONS = ['>=0.4.0 <2'];

export const LANGGRAPH_FILES = { pregel: 'dist/pregel/index' } as const;

/** The CommonJS and the ESM copy of a file, as the hooks name them (`@langchain/core/dist/…`). */
export function bothBuilds(packageName: string, file: string): string[] {
  return [`${packageName}/${file}.cjs`, `${packageName}/${file}.js`];
}

const escaped = (path: string) => path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const esmCopies = (packageName: string, files: Record<string, string>) =>
  Object.values(files).map((file) => escaped(`/${packageName}/${file}.js`));

/**
 * The ESM copies, for the loader's include list (matched on the file's URL): the packages import them by
 * relative specifiers (`./base.js`), which a list of package names never matches, so without this the
 * loader would not wrap them and the import hook would never see them.
 */
export const LANGCHAIN_ESM_FILES = new RegExp(
  `(?:${[...esmCopies(LANGCHAIN_CORE, LANGCHAIN_FILES), ...esmCopies(LANGGRAPH, LANGGRAPH_FILES)].join('|')})$`,
);
