import type { CallRuntime } from './llm-call';

/**
 * The patching vocabulary every patched package shares, providers and frameworks alike: the host that wraps
 * and unwraps methods for the instrumentation, and the readers of a loaded module's exports.
 */

/** What a provider's patch code gets from the instrumentation: the call runtime and shimmer-style wrapping. */
export interface PatchHost {
  readonly runtime: CallRuntime;
  /** Wraps `target[name]` once: an existing wrapper of ours is removed first, so a re-patch never stacks. */
  wrap<T extends object>(target: T, name: string, wrapper: (original: AnyFunction) => AnyFunction): void;
  unwrap<T extends object>(target: T, name: string): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (this: any, ...args: any[]) => any;

/** An ESM namespace carries the CommonJS-style exports on `default`; a CommonJS module is its own exports. */
export function moduleExports<T = Record<string, unknown>>(module: unknown): T {
  const m = module as { [Symbol.toStringTag]?: unknown; default?: unknown };
  if (m && m[Symbol.toStringTag] === 'Module' && m.default) return m.default as T;
  return module as T;
}

/** The prototype of the class at `path` below `root` (e.g. `OpenAI.Chat.Completions`), if there is one there. */
export function prototypeAt(root: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const step of path) node = node == null ? undefined : (node as Record<string, unknown>)[step];
  return prototypeOf(node);
}

/** The prototype of an exported class, if the export is a class: shapes we do not know are skipped, never thrown on. */
export function prototypeOf(cls: unknown): Record<string, unknown> | undefined {
  if (typeof cls !== 'function') return undefined;
  const proto = (cls as { prototype?: unknown }).prototype;
  return proto && typeof proto === 'object' ? (proto as Record<string, unknown>) : undefined;
}
