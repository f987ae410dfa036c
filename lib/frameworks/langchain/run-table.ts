/** Open runs at most: an app that never ends its runs (a stream nobody reads) must not grow the table forever. */
export const MAX_OPEN_RUNS = 10_000;

/**
 * The open runs of one handler by LangChain run id, in the order they started, bounded: past `limit`, the
 * oldest run is handed back to be ended (abandoned) and forgotten.
 */
export class RunTable<T> {
  private readonly runs = new Map<string, T>();

  constructor(private readonly limit = MAX_OPEN_RUNS) {}

  get size(): number {
    return this.runs.size;
  }

  get(id: string | undefined): T | undefined {
    return id === undefined ? undefined : this.runs.get(id);
  }

  /** Adds a run; returns the oldest run when the table was full (the caller ends it). */
  add(id: string, run: T): T | undefined {
    let evicted: T | undefined;
    if (this.runs.size >= this.limit && !this.runs.has(id)) {
      const oldest = this.runs.keys().next();
      if (!oldest.done) {
        evicted = this.runs.get(oldest.value);
        this.runs.delete(oldest.value);
      }
    }
    this.runs.set(id, run);
    return evicted;
  }

  delete(id: string): void {
    this.runs.delete(id);
  }
}
