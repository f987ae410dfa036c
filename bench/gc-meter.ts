/**
 * What the garbage collector costs a batch of calls, measured inside the variant's process:
 * - GC time, from a `PerformanceObserver` on `gc` entries. Node queues those entries from the GC callback
 *   and delivers them on the event loop, so we yield to it (and take any record still buffered) before
 *   reading, and again before starting, so that no entry of an earlier batch is counted here;
 * - promoted bytes, from `v8.GCProfiler`: the heap statistics before and after each young-generation GC.
 *   What old space (and large-object space) gained across a scavenge is what survived it and was promoted:
 *   the same figure as `promoted=` in `node --trace-gc-nvp`, without parsing V8's stdout;
 * - allocated bytes, from the same statistics: what the young generation gained between one GC and the next.
 *   Unlike times, allocation does not depend on the load from other processes, so it shows a change in our
 *   code's garbage on a busy machine.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

export interface GcFigures {
  /** GC pause time in the batch, µs. */
  gcUs: number;
  /** Bytes promoted to old space by young-generation GCs in the batch. */
  promotedBytes: number;
  /** Bytes allocated in the young generation in the batch. */
  allocatedBytes: number;
  youngGcs: number;
  fullGcs: number;
}

const YOUNG = new Set(['Scavenge', 'MinorMarkSweep', 'MinorMarkCompact']);
const FULL = new Set(['MarkSweepCompact']);
const OLD_SPACES = new Set(['old_space', 'large_object_space']);
const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

interface SpaceStats {
  spaceName: string;
  spaceUsedSize: number;
}
interface GcStat {
  gcType: string;
  beforeGC: { heapSpaceStatistics: SpaceStats[] };
  afterGC: { heapSpaceStatistics: SpaceStats[] };
}

const bytesIn = (names: Set<string>, spaces: SpaceStats[]) => spaces.reduce((sum, s) => (names.has(s.spaceName) ? sum + s.spaceUsedSize : sum), 0);
const oldBytes = (spaces: SpaceStats[]) => bytesIn(OLD_SPACES, spaces);
const youngBytes = (spaces: Array<SpaceStats | { space_name: string; space_used_size: number }>) =>
  bytesIn(YOUNG_SPACES, spaces.map((s) => ('spaceName' in s ? s : { spaceName: s.space_name, spaceUsedSize: s.space_used_size })));
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
    const youngAtStart = youngBytes(v8.getHeapSpaceStatistics());
    await run();
    const youngAtEnd = youngBytes(v8.getHeapSpaceStatistics());
    const stats = (profiler.stop()?.statistics ?? []) as GcStat[];
    await this.settle();
    let promotedBytes = 0;
    let youngGcs = 0;
    let fullGcs = 0;
    let allocatedBytes = 0;
    let youngAfterLast = youngAtStart;
    for (const s of stats) {
      allocatedBytes += youngBytes(s.beforeGC.heapSpaceStatistics) - youngAfterLast;
      youngAfterLast = youngBytes(s.afterGC.heapSpaceStatistics);
      if (YOUNG.has(s.gcType)) {
        youngGcs++;
        promotedBytes += Math.max(0, oldBytes(s.afterGC.heapSpaceStatistics) - oldBytes(s.beforeGC.heapSpaceStatistics));
      } else if (FULL.has(s.gcType)) fullGcs++;
    }
    allocatedBytes += youngAtEnd - youngAfterLast;
    return { gcUs: this.gcMs * 1000, promotedBytes, allocatedBytes, youngGcs, fullGcs };
  }

  private async settle(): Promise<void> {
    await yieldToLoop();
    this.add(this.observer.takeRecords());
  }

  private add(entries: ReadonlyArray<{ duration: number }>): void {
    for (const entry of entries) this.gcMs += entry.duration;
  }
}
