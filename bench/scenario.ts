/** What one benchmark call is, shared by the variant runner and the per-SDK call tables (kept apart so they import no circle). */
export type Scenario = 'chat' | 'stream';

/** One instrumented SDK call against the in-process fixtures. */
export type Call = () => Promise<void>;
