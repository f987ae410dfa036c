import { useInstrumentation } from '../../helpers/tracing';

/**
 * Import this first in a test file that imports `@langchain/*` at its top. Mocha loads every test file
 * before it runs any hook, so one top-level import of LangChain would load it unpatched for every suite
 * of the run (the require hooks see a module once; core loads some files at once and others lazily, so
 * it would even be half patched). With this, the process-wide instrumentation is on before LangChain
 * loads, as an app's tracing file (`--require`/`--import`) is.
 */
useInstrumentation();
