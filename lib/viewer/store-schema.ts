import type { DatabaseSync } from './sqlite';

/**
 * The store's tables. `spans` holds every span as received (attributes and events as JSON text, the
 * resource by reference); `traces` is one summary row per trace, kept up to date on ingest so that the list
 * reads one small indexed table; `facets` the services, models and kinds for the filters.
 * Sets inside a row (services, models, kinds) are `|a|b|` strings, so that a filter is one LIKE '%|a|%'.
 */
export const SCHEMA_VERSION = 1;

export function applySchema(db: DatabaseSync): void {
  // WAL: readers never block the writer. synchronous=NORMAL: a commit is not fsynced, but a crash of the
  // process loses nothing committed, and the store's checkpoint every second (which syncs the WAL) makes
  // a commit durable against power loss within a second. A torn write is never a corrupt database in WAL.
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = 5000;
    PRAGMA journal_size_limit = 67108864;
    PRAGMA temp_store = MEMORY;
    PRAGMA cache_size = -32000;
  `);
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS resources (id INTEGER PRIMARY KEY, json TEXT NOT NULL UNIQUE);
    CREATE TABLE IF NOT EXISTS spans (
      trace_id TEXT NOT NULL,
      span_id TEXT NOT NULL,
      parent TEXT,
      name TEXT NOT NULL,
      span_kind INTEGER NOT NULL,
      oi_kind TEXT,
      start_ms REAL NOT NULL,
      end_ms REAL NOT NULL,
      status_code INTEGER NOT NULL,
      status_message TEXT,
      service TEXT NOT NULL,
      attributes TEXT NOT NULL,
      events TEXT,
      resource_id INTEGER NOT NULL,
      scope_name TEXT NOT NULL,
      scope_version TEXT,
      llm INTEGER NOT NULL,
      prompt_tokens REAL,
      completion_tokens REAL,
      total_tokens REAL,
      cost REAL,
      model TEXT
    );
    CREATE UNIQUE INDEX IF NOT EXISTS spans_id ON spans (trace_id, span_id);
    -- A trace's spans in start order: opening a trace reads its first ones only (trace-json.ts).
    CREATE INDEX IF NOT EXISTS spans_start ON spans (trace_id, start_ms);
    -- Inferred LLM spans (GenAI keys only) by parent: to find a duplicate call when its parent arrives.
    CREATE INDEX IF NOT EXISTS spans_inferred ON spans (trace_id, parent) WHERE llm = 2;
    CREATE TABLE IF NOT EXISTS traces (
      trace_id TEXT PRIMARY KEY,
      root_name TEXT NOT NULL,
      root_span TEXT,
      service TEXT NOT NULL,
      services TEXT NOT NULL,
      start_ms REAL NOT NULL,
      end_ms REAL NOT NULL,
      status INTEGER NOT NULL,
      has_error INTEGER NOT NULL,
      root_status INTEGER NOT NULL,
      span_count INTEGER NOT NULL,
      llm_count INTEGER NOT NULL,
      prompt_tokens REAL NOT NULL,
      completion_tokens REAL NOT NULL,
      total_tokens REAL NOT NULL,
      cost REAL,
      models TEXT NOT NULL,
      kinds TEXT NOT NULL,
      seen_ms REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS traces_start ON traces (start_ms, trace_id);
    CREATE INDEX IF NOT EXISTS traces_seen ON traces (seen_ms);
    CREATE TABLE IF NOT EXISTS facets (kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, value)) WITHOUT ROWID;
  `);
  db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)`).run(String(SCHEMA_VERSION));
}

/** `|a|b|` from a set, and back. A `|` inside a value would split it: it is stored as `/`. */
export function joinSet(values: Iterable<string>): string {
  const list = [...values].map((v) => v.replace(/\|/g, '/')).sort();
  return list.length ? `|${list.join('|')}|` : '';
}

export function splitSet(text: string): string[] {
  return text ? text.slice(1, -1).split('|') : [];
}
