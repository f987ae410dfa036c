import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { AnyFunction, PatchHost, prototypeAt } from './patching';

/** One traced method: where its class hangs below a root, the method's name, and what its adapter knows. */
export interface PatchedMethod<Op> {
  /** Steps from a root to the class whose prototype holds the method (`['Chat', 'Completions']`); `[]` is the root itself. */
  readonly path: readonly string[];
  readonly method: string;
  readonly operation: Op;
}

/**
 * A provider's traced methods and how to find and wrap them in a module. One helper patches and unpatches
 * every table (`patchMethods`/`unpatchMethods`, through the host's `_wrap`/`_unwrap`), so a provider's
 * index.ts says what it traces, not how to loop over it.
 */
export interface MethodTable<Op> {
  /** The classes (or namespaces) the paths start from in a loaded module; only exports the SDK really has. */
  roots(module: unknown): readonly unknown[];
  readonly methods: ReadonlyArray<PatchedMethod<Op>>;
  /** The wrapper for one method, from its operation. */
  wrapper(host: PatchHost, operation: Op): (original: AnyFunction) => AnyFunction;
  /**
   * Wrap the method on the prototype up the chain that defines it, where a subclass inherits it (ollama's
   * Node `Ollama` from the browser class, cohere-ai's exported `CohereClient` from the generated one), so
   * that every subclass and instance sees one wrapper. By default the class's own prototype is wrapped.
   */
  readonly inherited?: boolean;
}

interface Target<Op> {
  proto: Record<string, unknown>;
  entry: PatchedMethod<Op>;
}

/** The prototypes and methods a table finds in `module`: each (prototype, method) once, however many roots reach it. */
function targets<Op>(table: MethodTable<Op>, module: unknown): Array<Target<Op>> {
  const found: Array<Target<Op>> = [];
  if (!module) return found;
  for (const root of table.roots(module)) {
    for (const entry of table.methods) {
      let proto = prototypeAt(root, entry.path);
      if (table.inherited) proto = definingPrototype(proto, entry.method);
      if (!proto || typeof proto[entry.method] !== 'function') continue;
      if (!found.some((t) => t.proto === proto && t.entry.method === entry.method)) found.push({ proto, entry });
    }
  }
  return found;
}

function definingPrototype(start: Record<string, unknown> | undefined, method: string): Record<string, unknown> | undefined {
  let proto: object | null | undefined = start;
  while (proto && proto !== Object.prototype && !Object.prototype.hasOwnProperty.call(proto, method)) proto = Object.getPrototypeOf(proto);
  return proto && proto !== Object.prototype ? (proto as Record<string, unknown>) : undefined;
}

export function patchMethods<Op>(host: PatchHost, table: MethodTable<Op>, module: unknown): void {
  for (const { proto, entry } of targets(table, module)) host.wrap(proto, entry.method, table.wrapper(host, entry.operation));
}

export function unpatchMethods<Op>(host: PatchHost, table: MethodTable<Op>, module: unknown): void {
  for (const { proto, entry } of targets(table, module)) host.unwrap(proto, entry.method);
}

/** A patch and unpatch pair for `InstrumentationNodeModuleDefinition`/`File`: every table, in order. */
export function tablePatcher(host: PatchHost, tables: ReadonlyArray<MethodTable<unknown>>) {
  return {
    patch<T>(module: T): T {
      for (const table of tables) patchMethods(host, table, module);
      return module;
    },
    unpatch(module: unknown): void {
      for (const table of tables) unpatchMethods(host, table, module);
    },
  };
}

/** The module definition of an SDK whose traced methods are all in tables (optionally also hooked in `files`). */
export function tableDefinition(
  host: PatchHost,
  name: string,
  versions: string[],
  tables: ReadonlyArray<MethodTable<unknown>>,
  files: readonly string[] = [],
): InstrumentationNodeModuleDefinition {
  const { patch, unpatch } = tablePatcher(host, tables);
  const hooked = files.map((file) => new InstrumentationNodeModuleFile(file, versions, patch, unpatch));
  return new InstrumentationNodeModuleDefinition(name, versions, patch, unpatch, hooked);
}
