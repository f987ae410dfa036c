import { diag } from '@opentelemetry/api';
import type { InstrumentationModuleDefinition as Definition, InstrumentationModuleFile } from '@opentelemetry/instrumentation';

/**
 * The definitions of one provider's packages, by name only, until the app first `require`s or `import`s one
 * of them: only then is the provider's index.ts (its versions, method tables and files) loaded. The require
 * and import hooks need nothing but the names, so an app loads no definitions module for an SDK or
 * framework it never uses (issue 27), whatever the providers enabled.
 *
 * InstrumentationBase reads a definition's other fields in two places only. Its hook, when the package is
 * loaded: it sets `moduleVersion` first, and from then on every field is the provider's own. And `enable()`/
 * `disable()`, which patch or unpatch what was loaded: for a package never loaded, there is nothing to
 * patch, and its provider stays unloaded (`files` is empty, and `moduleExports` unset).
 */
export function deferredDefinitions(modules: readonly string[], load: () => readonly Definition[]): Definition[] {
  let loaded: ReadonlyMap<string, Definition> | undefined;
  const definitionOf = (name: string): Definition | undefined => {
    loaded ??= loadByName(load, modules);
    return loaded.get(name);
  };
  return modules.map((name) => new DeferredDefinition(name, definitionOf));
}

function loadByName(load: () => readonly Definition[], modules: readonly string[]): ReadonlyMap<string, Definition> {
  try {
    return new Map(load().map((definition) => [definition.name, definition]));
  } catch (err) {
    // A definitions module that cannot load leaves its packages unpatched, and the app running.
    diag.error(`@infinium/otel: could not load the instrumentation of ${modules.join(', ')}; their calls are not traced`, err);
    return new Map();
  }
}

class DeferredDefinition implements Definition {
  moduleExports?: unknown;
  private version: string | undefined;
  /** The hook has set `moduleVersion`: the package has loaded. */
  private hooked = false;

  constructor(
    readonly name: string,
    private readonly definitionOf: (name: string) => Definition | undefined,
  ) {}

  /** The provider's definition, once the package has loaded (or `manuallyInstrument` patches it). */
  private get definition(): Definition | undefined {
    return this.definitionOf(this.name);
  }

  /** Set by the hook when the package loads, before it reads anything else; `undefined` when its package.json is unreadable. */
  get moduleVersion(): string | undefined {
    return this.version;
  }

  set moduleVersion(version: string | undefined) {
    this.version = version;
    this.hooked = true;
  }

  private get seen(): boolean {
    return this.hooked || this.moduleExports !== undefined;
  }

  get supportedVersions(): string[] {
    return this.definition?.supportedVersions ?? [];
  }

  get includePrerelease(): boolean | undefined {
    return this.definition?.includePrerelease;
  }

  get files(): InstrumentationModuleFile[] {
    return this.seen ? (this.definition?.files ?? []) : [];
  }

  // Functions whatever the provider's definition has, so that reading them loads nothing: the hook calls
  // them only once the package is loaded. Without a patch of its own, the exports are returned as they are.
  readonly patch = (exports: unknown, version?: string): unknown => {
    const patch = this.definition?.patch;
    return patch ? patch(exports, version) : exports;
  };

  readonly unpatch = (exports: unknown, version?: string): void => {
    this.definition?.unpatch?.(exports, version);
  };
}
