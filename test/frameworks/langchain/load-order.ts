import { LANGCHAIN_CORE, LANGCHAIN_FILES, LANGGRAPH, LANGGRAPH_FILES } from '../../../lib/frameworks/langchain/files';
import { useInstrumentation } from '../../helpers/tracing';

/**
 * Imported first by the LangChain test files. Mocha loads every test file before it runs any hook, so a
 * top-level import of `@langchain/*` in any file loads LangChain before the instrumentation exists, and
 * the require hook never sees those files (core loads some files at once and others lazily, so LangChain
 * would even be half patched). Here the process-wide instrumentation is turned on, as an app's tracing
 * file does before the app loads, and a patched file LangChain had already loaded is handed to
 * `manuallyInstrument`, as a bundled app's modules are.
 */
const { instrumentation } = useInstrumentation();

const patchedFiles = [
  ...Object.values(LANGCHAIN_FILES).map((file) => `/node_modules/${LANGCHAIN_CORE}/${file}.cjs`),
  ...Object.values(LANGGRAPH_FILES).map((file) => `/node_modules/${LANGGRAPH}/${file}.cjs`),
];
for (const [filename, loaded] of Object.entries(require.cache)) {
  if (loaded && patchedFiles.some((file) => filename.endsWith(file))) instrumentation.manuallyInstrument(loaded.exports);
}
