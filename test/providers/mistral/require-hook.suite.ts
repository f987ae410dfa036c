import { expect } from 'chai';
import { useInstrumentation } from '../../helpers/tracing';

/**
 * Node 20.19+ loads the ESM-only `@mistralai/mistralai` 2.x through `require()`, and the require hook sees
 * its entry like any CommonJS module: the client's resource getters are ours right after `require`.
 */
describe('@mistralai/mistralai 2.x through require()', () => {
  it('is patched by the require hook', function () {
    this.timeout(120_000); // the first load of 2.x's ESM graph is slow on a busy machine
    useInstrumentation();
    const { Mistral } = require('@mistralai/mistralai');
    for (const getter of ['chat', 'fim', 'embeddings']) {
      expect(Object.getOwnPropertyDescriptor(Mistral.prototype, getter)?.get?.name).to.equal('tracedResourceGetter');
    }
  });
});
