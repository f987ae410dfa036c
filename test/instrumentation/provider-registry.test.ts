import { expect } from 'chai';
import type { PatchHost } from '../../lib/instrumentation/patching';
import { PROVIDER_REGISTRY } from '../../lib/instrumentation/provider-registry';
import { PROVIDER_NAMES } from '../../lib/providers/types';

/** The registry's package names are what the hooks are set on before any provider loads: they must be the providers' own. */
describe('the provider registry', () => {
  it('names exactly the packages each provider\'s own definitions hook', () => {
    const host: PatchHost = { runtime: undefined as never, wrap() {}, unwrap() {} };
    const deferred = PROVIDER_NAMES.filter((name) => PROVIDER_REGISTRY[name].modules);
    // MCP alone finds its packages at start: its CommonJS copies are hooked by absolute path.
    expect(PROVIDER_NAMES.filter((name) => !deferred.includes(name))).to.deep.equal(['mcp']);
    for (const name of deferred) {
      const { modules, load } = PROVIDER_REGISTRY[name];
      expect(load().definitions(host).map((d) => d.name), name).to.deep.equal(modules);
    }
  });
});
