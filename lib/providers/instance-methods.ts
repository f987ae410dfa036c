import type { AnyFunction, PatchHost } from './types';

/**
 * Some SDKs put what we trace on each instance in the constructor, not on the prototype:
 * - `@google/genai` assigns `generateContent`, `generateContentStream` and `embedContent` as arrow
 *   functions in the `Models` constructor (`this.generateContent = async (params) => …`);
 * - `replicate` builds `this.predictions = { create: ….bind(this), get, … }` in the `Replicate` constructor.
 * The constructor's assignment does walk the prototype chain, though: an accessor on the prototype sees it,
 * and its setter installs a traced value as the instance's own property (`hookAssignedProperty`). Every
 * instance built after the patch is traced. The hook's state is shared across patch/unpatch cycles: once
 * disabled, what it installed passes straight through, and the accessor is removed, so later instances
 * get the SDK's own values.
 *
 * If a future genai moves a method onto the prototype, it is wrapped there as usual (`hookInstanceMethod`).
 */
export interface HookState {
  active: boolean;
}

/** One state per prototype and property. */
const hookStates = new WeakMap<object, Map<string, HookState>>();

function stateOf(proto: object, name: string): HookState {
  let byName = hookStates.get(proto);
  if (!byName) hookStates.set(proto, (byName = new Map()));
  let state = byName.get(name);
  if (!state) byName.set(name, (state = { active: false }));
  return state;
}

const OUR_ACCESSOR = Symbol.for('@infinium/otel instance method hook');

function isOurAccessor(descriptor: PropertyDescriptor | undefined): boolean {
  return Boolean(descriptor?.set && (descriptor.set as unknown as Record<symbol, unknown>)[OUR_ACCESSOR]);
}

/** `traced` while the hook is active, else `original`: what an instance keeps after a disable(). */
export function whileActive(state: HookState, original: AnyFunction, traced: AnyFunction): AnyFunction {
  return function maybeTraced(this: unknown, ...args: unknown[]) {
    return (state.active ? traced : original).apply(this, args);
  };
}

/**
 * Puts an accessor for `name` on `proto` whose setter installs `install(value, state, instance)` on the
 * instance. Does nothing when the prototype already has a property of that name that is not our accessor.
 */
export function hookAssignedProperty(proto: Record<string, unknown>, name: string, install: (value: unknown, state: HookState, instance: object) => unknown): void {
  const existing = Object.getOwnPropertyDescriptor(proto, name);
  if (existing && !isOurAccessor(existing)) return;
  const state = stateOf(proto, name);
  state.active = true;
  const set = function installTraced(this: object, value: unknown): void {
    let installed = value;
    try {
      installed = install(value, state, this);
    } catch {
      installed = value;
    }
    Object.defineProperty(this, name, { value: installed, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(set, OUR_ACCESSOR, { value: true });
  Object.defineProperty(proto, name, { configurable: true, enumerable: false, get: () => undefined, set });
}

/** Removes our accessor (later instances get the SDK's values) and turns off what it installed. Returns whether it was ours. */
export function unhookAssignedProperty(proto: Record<string, unknown>, name: string): boolean {
  if (!isOurAccessor(Object.getOwnPropertyDescriptor(proto, name))) return false;
  stateOf(proto, name).active = false;
  delete proto[name];
  return true;
}

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
  hookAssignedProperty(proto, name, (value, state) =>
    typeof value === 'function' ? whileActive(state, value as AnyFunction, wrapper(value as AnyFunction)) : value,
  );
}

export function unhookInstanceMethod(host: PatchHost, proto: Record<string, unknown>, name: string): void {
  if (!unhookAssignedProperty(proto, name)) host.unwrap(proto, name);
}
