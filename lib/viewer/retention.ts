import type { TraceStore } from './store';
import { splitSet } from './store-schema';

/**
 * Retention: traces not updated for `maxAgeMs` go, then the oldest traces (by start) until the data in the
 * database is under `maxBytes` (the file keeps its size: freed pages are reused, not returned). Run at
 * start and periodically; each pass deletes in small transactions so that ingest is never held long.
 */
export interface RetentionOptions {
  maxAgeMs: number;
  maxBytes: number;
}

const CHUNK = 200;

export function enforceRetention(store: TraceStore, options: RetentionOptions, now = Date.now()): number {
  const db = store.db;
  const expired = db.prepare(`SELECT trace_id FROM traces WHERE seen_ms < ? LIMIT ${CHUNK}`);
  const oldest = db.prepare(`SELECT trace_id FROM traces ORDER BY start_ms, trace_id LIMIT ?`);
  let deleted = 0;
  for (;;) {
    const ids = expired.all(now - options.maxAgeMs).map((row) => String(row.trace_id));
    if (ids.length === 0) break;
    deleted += deleteTraces(store, ids);
  }
  // Down to 90% of the bound, so that the next pass does not start over at once: as many of the oldest
  // traces as the excess holds at the average trace size, then measured again.
  const target = options.maxBytes * 0.9;
  const count = db.prepare(`SELECT count(*) AS n FROM traces`);
  let bySize = 0;
  for (let used = usedBytes(store); used > options.maxBytes || (bySize > 0 && used > target); used = usedBytes(store)) {
    const traces = Number(count.get()?.n ?? 0);
    if (traces === 0) break;
    const excess = Math.ceil(((used - target) / used) * traces);
    const ids = oldest.all(Math.max(1, Math.min(CHUNK, excess))).map((row) => String(row.trace_id));
    bySize += deleteTraces(store, ids);
  }
  deleted += bySize;
  if (deleted > 0) rebuildFacets(store);
  return deleted;
}

/** Bytes of the database in use: its pages less the free ones. */
export function usedBytes(store: TraceStore): number {
  const pragma = (name: string): number => Number(Object.values(store.db.prepare(`PRAGMA ${name}`).get() ?? {})[0] ?? 0);
  return (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
}

function deleteTraces(store: TraceStore, ids: string[]): number {
  const list = ids.map(() => '?').join(', ');
  store.db.exec('BEGIN IMMEDIATE');
  try {
    store.db.prepare(`DELETE FROM spans WHERE trace_id IN (${list})`).run(...ids);
    store.db.prepare(`DELETE FROM traces WHERE trace_id IN (${list})`).run(...ids);
    store.db.exec('COMMIT');
  } catch (error) {
    store.db.exec('ROLLBACK');
    throw error;
  }
  return ids.length;
}

/** The filters' values from the traces that remain, and the resources no span uses any more dropped. */
function rebuildFacets(store: TraceStore): void {
  const sets = { services: new Set<string>(), models: new Set<string>(), kinds: new Set<string>() };
  for (const row of store.db.prepare(`SELECT services, models, kinds FROM traces`).all()) {
    for (const kind of ['services', 'models', 'kinds'] as const) for (const v of splitSet(String(row[kind]))) sets[kind].add(v);
  }
  store.db.exec('BEGIN IMMEDIATE');
  try {
    store.db.exec('DELETE FROM facets');
    const insert = store.db.prepare(`INSERT OR IGNORE INTO facets (kind, value) VALUES (?, ?)`);
    for (const kind of ['services', 'models', 'kinds'] as const) for (const v of sets[kind]) insert.run(kind, v);
    store.db.exec(`DELETE FROM resources WHERE id NOT IN (SELECT DISTINCT resource_id FROM spans)`);
    store.db.exec('COMMIT');
  } catch (error) {
    store.db.exec('ROLLBACK');
    throw error;
  }
  store.forgetResources();
}
