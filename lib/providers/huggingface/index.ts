import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { onFirstUse } from '../lazy-load';
import { PatchHost, ProviderInstrumentation } from '../types';
import { HUGGINGFACE_BUILDS, HUGGINGFACE_INFERENCE, HUGGINGFACE_TASKS, HUGGINGFACE_VERSIONS, HuggingFaceTask, taskFile } from './files';
import type * as Wrappers from './wrappers';

/**
 * `@huggingface/inference`: `chatCompletion`, `chatCompletionStream`, `textGeneration` (LLM) and
 * `featureExtraction` (EMBEDDING), whether called as exported functions or as `InferenceClient` (or
 * `HfInference`) methods. Each task's export is wrapped in its own file (files.ts says why), in both builds;
 * the entry itself is not touched.
 */
export { HUGGINGFACE_ESM_FILES } from './files';

/** The adapters load when a task file is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrappers = onFirstUse(() => require('./wrappers') as typeof Wrappers);

/** Wraps (or restores) the task's export on its file's module: a CommonJS `exports` object, or an import-in-the-middle namespace. */
function taskPatcher(host: PatchHost, task: HuggingFaceTask) {
  return {
    patch<T>(module: T): T {
      try {
        const exports = module as Record<string, unknown> | undefined;
        if (exports && typeof exports[task] === 'function') host.wrap(exports, task, wrappers().huggingFaceTaskWrapper(host, task));
      } catch (err) {
        diag.debug(`@infinium/otel: could not patch @huggingface/inference ${task}`, err);
      }
      return module;
    },
    unpatch(module: unknown): void {
      try {
        if (module) host.unwrap(module as Record<string, unknown>, task);
      } catch (err) {
        diag.debug(`@infinium/otel: could not unpatch @huggingface/inference ${task}`, err);
      }
    },
  };
}

export const huggingfaceInstrumentation: ProviderInstrumentation = {
  name: 'huggingface',
  definitions(host: PatchHost) {
    const files = HUGGINGFACE_BUILDS.flatMap((build) =>
      HUGGINGFACE_TASKS.map((task) => {
        const { patch, unpatch } = taskPatcher(host, task);
        return new InstrumentationNodeModuleFile(taskFile(build, task), HUGGINGFACE_VERSIONS, patch, unpatch);
      }),
    );
    // The entry is only the package's marker for the hooks: its exports are re-exports of the task files.
    return [new InstrumentationNodeModuleDefinition(HUGGINGFACE_INFERENCE, HUGGINGFACE_VERSIONS, (m) => m, () => undefined, files)];
  },
};
