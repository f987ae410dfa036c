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

type Exports = Record<string, unknown>;

/**
 * The ESM entry's namespace, once loaded. import-in-the-middle gives the entry its own copy of each
 * re-exported binding, taken when the entry is evaluated (after the task files, so with our wrappers in
 * it): a task file's patch and unpatch also set the entry's copy, so that `disable()` restores both and
 * `enable()` wraps both. The CommonJS entry reads the task files through getters, live: nothing to copy there.
 */
class EsmEntry {
  namespace: Exports | undefined;

  remember(module: unknown): void {
    if ((module as { [Symbol.toStringTag]?: unknown } | undefined)?.[Symbol.toStringTag] === 'Module') this.namespace = module as Exports;
  }

  /** Sets the entry's copy of `task` to what the task file exports now. */
  follow(file: Exports, task: HuggingFaceTask): void {
    const entry = this.namespace;
    if (!entry || entry === file || entry[task] === file[task]) return;
    try {
      entry[task] = file[task];
    } catch (err) {
      diag.debug(`@infinium/otel: could not update the @huggingface/inference entry's ${task}`, err);
    }
  }
}

/** Wraps (or restores) the task's export on its file's module: a CommonJS `exports` object, or an import-in-the-middle namespace. */
function taskPatcher(host: PatchHost, task: HuggingFaceTask, entry: EsmEntry | undefined) {
  return {
    patch<T>(module: T): T {
      try {
        const exports = module as Exports | undefined;
        if (exports && typeof exports[task] === 'function') {
          host.wrap(exports, task, wrappers().huggingFaceTaskWrapper(host, task));
          entry?.follow(exports, task);
        }
      } catch (err) {
        diag.debug(`@infinium/otel: could not patch @huggingface/inference ${task}`, err);
      }
      return module;
    },
    unpatch(module: unknown): void {
      try {
        if (!module) return;
        host.unwrap(module as Exports, task);
        entry?.follow(module as Exports, task);
      } catch (err) {
        diag.debug(`@infinium/otel: could not unpatch @huggingface/inference ${task}`, err);
      }
    },
  };
}

export const huggingfaceInstrumentation: ProviderInstrumentation = {
  name: 'huggingface',
  definitions(host: PatchHost) {
    const esmEntry = new EsmEntry();
    const files = HUGGINGFACE_BUILDS.flatMap((build) =>
      HUGGINGFACE_TASKS.map((task) => {
        const { patch, unpatch } = taskPatcher(host, task, build === 'esm' ? esmEntry : undefined);
        return new InstrumentationNodeModuleFile(taskFile(build, task), HUGGINGFACE_VERSIONS, patch, unpatch);
      }),
    );
    // The entry's exports are re-exports of the task files: it is only remembered (an ESM namespace), never wrapped.
    const remember = <T>(module: T): T => {
      esmEntry.remember(module);
      return module;
    };
    return [new InstrumentationNodeModuleDefinition(HUGGINGFACE_INFERENCE, HUGGINGFACE_VERSIONS, remember, () => undefined, files)];
  },
};
