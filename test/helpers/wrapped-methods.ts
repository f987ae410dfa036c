import { expect } from 'chai';

export type WrappedFn = ((...args: unknown[]) => unknown) & { __original?: WrappedFn; __wrapped?: boolean };

/** One traced method of a provider's table: the prototype that holds it. */
export interface MethodRow {
  name: string;
  proto: Record<string, WrappedFn>;
  method: string;
}

/**
 * The `_wrap`/`_unwrap` semantics every provider table keeps: each row wrapped once (a wrapper around the
 * SDK's own function, never around another wrapper of ours), `disable()` puts back the SDK's very functions,
 * `enable()` wraps them again. `between` runs after the wrap checks, before `disable()`.
 */
export function expectWrappedOnceAndRestored(instrumentation: { disable(): void; enable(): void }, rows: readonly MethodRow[], between?: () => void): void {
  const originals = rows.map(({ name, proto, method }) => {
    expect(proto[method].__wrapped, `${name} is wrapped`).to.equal(true);
    expect(proto[method].__original!.__wrapped, `${name} is wrapped once`).to.equal(undefined);
    return proto[method].__original!;
  });
  between?.();
  instrumentation.disable();
  try {
    expect(rows.map(({ proto, method }) => proto[method])).to.deep.equal(originals);
  } finally {
    instrumentation.enable();
  }
  expect(rows.map(({ proto, method }) => proto[method].__original)).to.deep.equal(originals);
}
