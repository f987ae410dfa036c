/**
 * `node:sqlite`, loaded where the running Node has it (22.13+ unflagged; 22.5+ behind --experimental-sqlite).
 * The package's @types/node is Node 20's, which has no types for it: the few members the store uses are
 * declared here.
 */
export type SqlValue = null | number | bigint | string | Uint8Array;

export interface StatementSync {
  run(...params: SqlValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: SqlValue[]): Record<string, SqlValue> | undefined;
  all(...params: SqlValue[]): Array<Record<string, SqlValue>>;
}

export interface DatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): StatementSync;
  close(): void;
}

interface SqliteModule {
  DatabaseSync: new (path: string) => DatabaseSync;
}

/** The minimum Node for the viewer's store, said to the user when this one lacks it. */
export const NEEDED_NODE = '22.13';

/**
 * The module, or null on a Node without it. Loading it emits an ExperimentalWarning on Node 22/24; that
 * one warning is filtered while it loads (every other warning, then and later, goes through as usual).
 */
export function loadSqlite(): SqliteModule | null {
  const emitWarning = process.emitWarning;
  process.emitWarning = function filtered(this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === 'string' ? warning : warning?.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if ((type === 'ExperimentalWarning' || (warning as Error)?.name === 'ExperimentalWarning') && /SQLite/i.test(String(text))) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return require('node:sqlite') as SqliteModule;
  } catch {
    return null;
  } finally {
    process.emitWarning = emitWarning;
  }
}
