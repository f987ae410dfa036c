import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { MethodTable, PatchedMethod, patchMethods, unpatchMethods } from '../../instrumentation/patch-table';
import { onFirstUse } from '../lazy-load';
import { moduleExports, PatchHost, prototypeOf, ProviderInstrumentation } from '../types';
import type * as Wrappers from './wrappers';
import type { MistralOperationName } from './wrappers';

/**
 * `@mistralai/mistralai`: 1.x is CommonJS, 2.x ESM-only. Both build their resource classes (`Chat`, `Fim`,
 * `Embeddings`, in `sdk/*.js` or `esm/sdk/*.js`) lazily behind getters of the exported `Mistral` client,
 * and do not export them from the entry.
 *
 * Patching those module files would need an import hook that sees the SDK's internal, relative imports:
 * import-in-the-middle's recommended setup (`createAddHookMessageChannel`) only wraps the modules it is
 * told about by name, the entry, so the 2.x files would never be patched. We patch from the entry
 * instead: the client's `chat`/`fim`/`embeddings` getters are wrapped, and the first resource each one
 * returns has its class prototype patched (`chat`: `complete`, `stream`, `parse`, `parseStream`). That
 * works the same for CommonJS, ESM and bundled apps (`manuallyInstrument`). Tested: 1.15.1 and 2.5.0.
 */
export const MISTRAL_VERSIONS = ['>=1.0.0 <3'];

/** The adapters load when the SDK is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrappers = onFirstUse(() => require('./wrappers') as typeof Wrappers);

/** The traced methods of one resource class, found from a resource (or its prototype) through its class. */
function resourceTable(methods: Array<PatchedMethod<MistralOperationName>>): MethodTable<MistralOperationName> {
  return {
    roots: (resource) => [(resource as { constructor?: unknown }).constructor],
    methods,
    wrapper: (host, name) => wrappers().mistralMethodWrapper(host, name),
  };
}

const method = (name: string, operation: MistralOperationName): PatchedMethod<MistralOperationName> => ({ path: [], method: name, operation });

/** Each client getter, and the methods patched on the class of the resource it returns. */
const RESOURCES: ReadonlyArray<readonly [string, MethodTable<MistralOperationName>]> = [
  ['chat', resourceTable([method('complete', 'chatComplete'), method('stream', 'chatStream'), method('parse', 'chatParse'), method('parseStream', 'chatParseStream')])],
  ['fim', resourceTable([method('complete', 'fimComplete'), method('stream', 'fimStream')])],
  ['embeddings', resourceTable([method('create', 'embeddingsCreate')])],
];

/** Marks our getters and keeps the SDK's own, so a re-patch starts from it and never stacks. */
const SDK_GETTER = Symbol.for('@infinium/otel sdk getter');

function clientPrototype(module: unknown): Record<string, unknown> | undefined {
  return prototypeOf(moduleExports<{ Mistral?: unknown } | undefined>(module)?.Mistral);
}

function hookGetter(proto: object, name: string, onResource: (resource: object) => void): void {
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  if (!descriptor || typeof descriptor.get !== 'function' || !descriptor.configurable) return;
  const sdkGetter: () => unknown = (descriptor.get as unknown as Record<symbol, () => unknown>)[SDK_GETTER] ?? descriptor.get;
  const get = function tracedResourceGetter(this: unknown): unknown {
    const resource = sdkGetter.call(this);
    try {
      if (resource !== null && typeof resource === 'object') onResource(resource);
    } catch (err) {
      diag.debug('@infinium/otel: could not patch a Mistral resource', err);
    }
    return resource;
  };
  Object.defineProperty(get, SDK_GETTER, { value: sdkGetter });
  Object.defineProperty(proto, name, { ...descriptor, get });
}

function unhookGetter(proto: object, name: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  const sdkGetter = (descriptor?.get as unknown as Record<symbol, () => unknown> | undefined)?.[SDK_GETTER];
  if (descriptor && sdkGetter) Object.defineProperty(proto, name, { ...descriptor, get: sdkGetter });
}

export const mistralInstrumentation: ProviderInstrumentation = {
  name: 'mistralai',
  definitions(host: PatchHost) {
    // The resource prototypes this instrumentation patched, so that unpatch can restore them.
    const patched = new Map<object, MethodTable<MistralOperationName>>();
    const patchClassOf = (table: MethodTable<MistralOperationName>) => (resource: object) => {
      const proto = Object.getPrototypeOf(resource) as Record<string, unknown> | null;
      if (!proto || patched.has(proto)) return;
      patched.set(proto, table);
      patchMethods(host, table, resource);
    };
    return [
      new InstrumentationNodeModuleDefinition(
        '@mistralai/mistralai',
        MISTRAL_VERSIONS,
        (module) => {
          const proto = clientPrototype(module);
          if (proto) for (const [getter, table] of RESOURCES) hookGetter(proto, getter, patchClassOf(table));
          return module;
        },
        (module) => {
          const proto = module ? clientPrototype(module) : undefined;
          if (proto) for (const [getter] of RESOURCES) unhookGetter(proto, getter);
          for (const [resourceProto, table] of patched) unpatchMethods(host, table, resourceProto);
          patched.clear();
        },
      ),
    ];
  },
};
