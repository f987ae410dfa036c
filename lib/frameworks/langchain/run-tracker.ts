import type { Context } from '@opentelemetry/api';
import type { RunScope } from '../../instrumentation/run-scope';

/** What the patches need of the LangChain handler: the context of a run, and ending the runs of an abandoned scope. */
export interface RunTracker {
  /** `base` with the span of run `runId` active, if that run is traced. */
  contextOfRun(runId: string | undefined, base: Context): Context | undefined;
  /** Ends, as abandoned, the runs still open that started inside `scope`. */
  abandonRunsIn(scope: RunScope): void;
}
