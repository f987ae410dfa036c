/**
 * Where `@anthropic-ai/sdk` keeps the classes we patch: one place for the require/import hooks and the ESM
 * loader's include list, importable without the patch code.
 *
 * The package's main entry is not enough: `@anthropic-ai/vertex-sdk` and `@anthropic-ai/bedrock-sdk` load
 * `@anthropic-ai/sdk/client` and `@anthropic-ai/sdk/resources/index` and never the main entry, whose hook
 * then never fires. `resources/index` is what every entry loads (the main entry through `client`), and it
 * exports `Messages` and `Beta` (`Beta.Messages`) in every layout since 0.50, so hooking it patches the
 * one copy of those classes each package copy has, whichever entry loaded it first. The Bedrock SDK brings
 * its own copy of `@anthropic-ai/sdk` (nested under its node_modules): a hook on a package file is matched
 * in every copy, each at its own version.
 */
export const ANTHROPIC_SDK = '@anthropic-ai/sdk';

/** 1.x is tested; 0.50 onward has the same Stainless layout (`resources/index`, `Messages`, `Beta.Messages`). */
export const ANTHROPIC_VERSIONS = ['>=0.50.0 <2'];

/** The CommonJS and ESM copies of the resources index, as the require and import hooks name them. */
export const ANTHROPIC_RESOURCE_FILES = [`${ANTHROPIC_SDK}/resources/index.js`, `${ANTHROPIC_SDK}/resources/index.mjs`];

/**
 * For the ESM loader's include list (matched on the file's URL): the cloud SDKs import the resources index by
 * a package subpath (`@anthropic-ai/sdk/resources/index`) and the main entry by a relative one, neither of
 * which the package name matches, so without this the loader does not wrap the file for the import hook.
 */
export const ANTHROPIC_ESM_FILES = /\/@anthropic-ai\/sdk\/resources\/index\.mjs$/;
