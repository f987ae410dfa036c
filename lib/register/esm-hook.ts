// The register entry registers the ESM loader hook before it creates the instrumentation; the logic
// lives beside the instrumentation, which registers the same hook itself (once per process).
export { ESM_HOOKED_MODULES, registerEsmLoaderHook } from '../instrumentation/esm-loader-hook';
