/**
 * What the garbage collector costs a batch of calls, measured inside the variant's process:
 * - GC time, from a `PerformanceObserver` on `gc` entries. Node queues those entries from the GC callback
 *   and delivers them on the event loop, so we yield to it (and take any record still buffered) before
 *   reading, and again before starting, so that no entry of an earlier batch is counted here;
 * - promoted bytes, from `v8.GCProfiler`: the heap statistics before and after each young-generation GC.
 *   What old space (and large-object space) gained across a scavenge is what survived it and was promoted:
 *   the same figure as `promoted=` in `node --trace-gc-nvp`, without parsing V8's stdout.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

export interface GcFigures {
  /** GC pause time in the batch, µs. */
  gcUs: number;
  /** Bytes promoted to old space by young-generation GCs in the batch. */
  promotedBytes: number;
  youngGcs: number;
  fullGcs: number;
}

const YOUNG = new Set(['Scavenge', 'MinorMarkSweep', 'MinorMarkCompact']);
const FULL = new Set(['MarkSweepCompact']);
const OLD_SPACES = new Set(['old_space', 'large_object_space']);

interface SpaceStats {
  spaceName: string;
  spaceUsedSize: number;
}
interface GcStat {
  gcType: string;
  beforeGC: { heapSpaceStatistics: SpaceStats[] };
  afterGC: { heapSpaceStatistics: SpaceStats[] };
}

const oldBytes = (spaces: SpaceStats[]) => spaces.reduce((sum, s) => (OLD_SPACES.has(s.spaceName) ? sum + s.spaceUsedSize : sum), 0);
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

export class GcMeter {
  private gcMs = 0;
  private readonly observer = new PerformanceObserver((list) => this.add(list.getEntries()));

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  async measure(run: () => Promise<void>): Promise<GcFigures> {
    await this.settle();
    this.gcMs = 0;
    const profiler = new v8.GCProfiler();
    profiler.start();
    await run();
    const stats = (profiler.stop()?.statistics ?? []) as GcStat[];
    await this.settle();
    let promotedBytes = 0;
    let youngGcs = 0;
    let fullGcs = 0;
    for (const s of stats) {
      if (YOUNG.has(s.gcType)) {
        youngGcs++;
        promotedBytes += Math.max(0, oldBytes(s.afterGC.heapSpaceStatistics) - oldBytes(s.beforeGC.heapSpaceStatistics));
      } else if (FULL.has(s.gcType)) fullGcs++;
    }
    return { gcUs: this.gcMs * 1000, promotedBytes, youngGcs, fullGcs };
  }

  private async settle(): Promise<void> {
    await yieldToLoop();
    this.add(this.observer.takeRecords());
  }

  private add(entries: ReadonlyArray<{ duration: number }>): void {
    for (const entry of entries) this.gcMs += entry.duration;
  }
}
