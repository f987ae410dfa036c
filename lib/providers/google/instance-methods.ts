import type { AnyFunction, PatchHost } from '../types';

/**
 * `@google/genai` defines `generateContent`, `generateContentStream` and `embedContent` as arrow functions
 * assigned in the `Models` constructor (`this.generateContent = async (params) => …`), not on the prototype,
 * so there is no prototype method to wrap. The constructor's assignment does walk the prototype chain,
 * though: an accessor on `Models.prototype` sees it, and its setter installs the wrapped function as the
 * instance's own property. Every `Models` built after the patch (each `new GoogleGenAI()`) is traced, and
 * so are the chat sessions that call it.
 *
 * If a future version moves the method onto the prototype, it is wrapped there as usual.
 */
interface HookState {
  active: boolean;
}

/** One state per prototype and method, shared across patch/unpatch cycles: a disabled hook passes through. */
const hookStates = new WeakMap<object, Map<string, HookState>>();

function stateOf(proto: object, name: string): HookState {
  let byName = hookStates.get(proto);
  if (!byName) hookStates.set(proto, (byName = new Map()));
  let state = byName.get(name);
  if (!state) byName.set(name, (state = { active: false }));
  return state;
}

const OUR_ACCESSOR = Symbol.for('@infinium/otel instance method hook');

export function hookInstanceMethod(
  host: PatchHost,
  proto: Record<string, unknown>,
  name: string,
  wrapper: (original: AnyFunction) => AnyFunction,
): void {
  if (typeof proto[name] === 'function') {
    host.wrap(proto, name, wrapper);
    return;
  }
  const existing = Object.getOwnPropertyDescriptor(proto, name);
  if (existing && !(existing.set && (existing.set as unknown as Record<symbol, unknown>)[OUR_ACCESSOR])) return;
  const state = stateOf(proto, name);
  state.active = true;
  const set = function installTraced(this: object, value: unknown): void {
    let installed = value;
    if (typeof value === 'function') {
      const original = value as AnyFunction;
      const traced = wrapper(original);
      installed = function maybeTraced(this: unknown, ...args: unknown[]) {
        return (state.active ? traced : original).apply(this, args);
      };
    }
    Object.defineProperty(this, name, { value: installed, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(set, OUR_ACCESSOR, { value: true });
  Object.defineProperty(proto, name, { configurable: true, enumerable: false, get: () => undefined, set });
}

export function unhookInstanceMethod(host: PatchHost, proto: Record<string, unknown>, name: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  if (descriptor?.set && (descriptor.set as unknown as Record<symbol, unknown>)[OUR_ACCESSOR]) {
    stateOf(proto, name).active = false;
    delete proto[name];
    return;
  }
  host.unwrap(proto, name);
}
