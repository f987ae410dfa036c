import { expect } from 'chai';
import { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import type { PatchHost } from '../../lib/instrumentation/patching';

/**
 * import-in-the-middle hands an ESM module's namespace over as a Proxy, on which OTel's `_unwrap` writes the
 * current value back (our wrapper): `disable()` must still put the module's own function back.
 */
describe('unwrapping a function export of an ESM namespace (a Proxy)', () => {
  it('the original is back after unwrap, on a Proxy as on a plain object', () => {
    const instrumentation = new InfiniumInstrumentation({ providers: ['ollama'] });
    try {
      const host = (instrumentation as unknown as { patchHost(): PatchHost }).patchHost();
      const original = function query(): string {
        return 'sdk';
      };
      for (const target of [new Proxy({ query: original } as Record<string, unknown>, {}), { query: original } as Record<string, unknown>]) {
        host.wrap(target, 'query', (fn) => function wrapped(this: unknown, ...args: unknown[]) {
          return `ours(${(fn as (...a: unknown[]) => string).apply(this, args)})`;
        });
        expect((target.query as () => string)()).to.equal('ours(sdk)');
        host.unwrap(target, 'query');
        expect(target.query).to.equal(original);
      }
    } finally {
      instrumentation.disable();
    }
  });
});
