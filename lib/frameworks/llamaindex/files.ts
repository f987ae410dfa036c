/**
 * What LlamaIndex.TS's patch hooks. The engines and retrievers live in `@llamaindex/core`, which has no main
 * entry (only subpath exports such as `@llamaindex/core/query-engine`), and require-in-the-middle gives up on
 * a package whose main it cannot resolve: so the classes are patched through `llamaindex`, whose entry
 * re-exports them (the same classes, so every engine built on them is patched). Its ESM build is found by
 * name by the loader hook; each build has its own copy of the classes, both patched.
 */
export const LLAMAINDEX = 'llamaindex';

/** 0.12 (on @llamaindex/core 0.6) is read and tested. */
export const LLAMAINDEX_VERSIONS = ['>=0.12.0 <0.13.0'];

/**
 * LlamaIndex's provider packages whose CommonJS build `import()`s the SDK it wraps (`@llamaindex/openai`:
 * `import('openai')`, at the first call). In a CommonJS app only the ESM loader hook sees that import, so
 * when one of them is first `require`d the deferred hook is registered (esm-loader-hook.ts), on every Node.
 */
export const LLAMAINDEX_SDK_IMPORTERS: readonly string[] = ['@llamaindex/openai'];
