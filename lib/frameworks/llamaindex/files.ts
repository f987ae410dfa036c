/**
 * Where LlamaIndex.TS's engines and retrievers live in `@llamaindex/core`: one place for the require/import
 * hooks and the ESM loader's include list. The package has no main entry: `llamaindex` and the provider
 * packages load these files through subpath exports (`@llamaindex/core/query-engine`), and each exists as
 * its CommonJS copy (`.cjs`) and its ESM copy (`.js`), both patched (an app can load both).
 */
export const LLAMAINDEX_CORE = '@llamaindex/core';

/** 0.6 (llamaindex 0.12) is read and tested. */
export const LLAMAINDEX_CORE_VERSIONS = ['>=0.6.0 <0.7.0'];

/** The files whose exported classes hold the methods we trace (index.ts says which). */
export const LLAMAINDEX_FILES = ['query-engine/dist/index', 'retriever/dist/index', 'chat-engine/dist/index'] as const;

/** Both builds of each file, as the hooks name them (`@llamaindex/core/query-engine/dist/index.cjs`). */
export const LLAMAINDEX_FILE_NAMES: readonly string[] = LLAMAINDEX_FILES.flatMap((file) => [`${LLAMAINDEX_CORE}/${file}.cjs`, `${LLAMAINDEX_CORE}/${file}.js`]);

/**
 * The ESM copies, for the loader's include list (matched on the file's URL): a subpath specifier
 * (`@llamaindex/core/query-engine`) or the package's own relative imports never match a package name.
 */
export const LLAMAINDEX_ESM_FILES = new RegExp(`/@llamaindex/core/(?:${LLAMAINDEX_FILES.map((f) => f.replace(/[/.-]/g, '\\$&')).join('|')})\\.js$`);

/**
 * LlamaIndex's provider packages whose CommonJS build `import()`s the SDK it wraps (`@llamaindex/openai`:
 * `import('openai')`, at the first call). In a CommonJS app only the ESM loader hook sees that import, so
 * when one of them is first `require`d the deferred hook is registered (esm-loader-hook.ts), on every Node.
 */
export const LLAMAINDEX_SDK_IMPORTERS: readonly string[] = ['@llamaindex/openai'];
