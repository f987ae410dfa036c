import { diag } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { expect } from 'chai';
import sinon from 'sinon';
import { deferredDefinitions } from '../../lib/instrumentation/deferred-definition';

/** A provider's own definitions for two packages, and how often they were loaded. */
function provider() {
  const patched: unknown[][] = [];
  const unpatched: unknown[][] = [];
  const file = new InstrumentationNodeModuleFile('sdk-a/lib/client.js', ['>=1'], (exports: unknown) => exports, () => undefined);
  const definitions = [
    new InstrumentationNodeModuleDefinition(
      'sdk-a',
      ['>=1 <3'],
      (exports: unknown, version?: string) => {
        patched.push([exports, version]);
        return { patched: exports };
      },
      (exports: unknown, version?: string) => void unpatched.push([exports, version]),
      [file],
    ),
    new InstrumentationNodeModuleDefinition('sdk-b', ['*']),
  ];
  const load = sinon.spy(() => definitions);
  return { load, file, patched, unpatched };
}

describe('deferred module definitions (a provider loads at its package\'s first load)', () => {
  afterEach(() => sinon.restore());

  it('gives the hooks their names and loads nothing for what enable() and disable() read of a package never loaded', () => {
    const { load } = provider();
    const [a, b] = deferredDefinitions(['sdk-a', 'sdk-b'], load);
    expect([a.name, b.name]).to.deep.equal(['sdk-a', 'sdk-b']);
    // What InstrumentationBase's enable() and disable() read: functions to call, files to patch, exports seen.
    expect([typeof a.patch, typeof a.unpatch, a.files, a.moduleExports]).to.deep.equal(['function', 'function', [], undefined]);
    expect(b.files).to.deep.equal([]);
    expect(load.callCount).to.equal(0);
  });

  it('through InstrumentationBase: construct, disable() and enable() again load nothing for a package never loaded', () => {
    const { load } = provider();
    class Deferring extends InstrumentationBase {
      constructor() {
        super('deferring-test', '1.0.0', {});
      }
      protected init() {
        return deferredDefinitions(['sdk-a-never-installed'], load);
      }
    }
    const instrumentation = new Deferring();
    expect(instrumentation.getModuleDefinitions().map((d) => d.name)).to.deep.equal(['sdk-a-never-installed']);
    instrumentation.disable();
    instrumentation.enable();
    instrumentation.disable();
    expect(load.callCount).to.equal(0);
  });

  it('is the provider\'s own definition once the hook has seen the package (one load for all its packages)', () => {
    const { load, file, patched, unpatched } = provider();
    const [a, b] = deferredDefinitions(['sdk-a', 'sdk-b'], load);
    a.moduleVersion = '2.1.0';
    expect(a.supportedVersions).to.deep.equal(['>=1 <3']);
    expect(a.files).to.deep.equal([file]);
    const exports = { Client: class {} };
    expect(a.patch!(exports, '2.1.0')).to.deep.equal({ patched: exports });
    a.unpatch!(exports, '2.1.0');
    expect(patched).to.deep.equal([[exports, '2.1.0']]);
    expect(unpatched).to.deep.equal([[exports, '2.1.0']]);
    // A package whose definition has no patch of its own: its exports pass unchanged.
    expect(b.supportedVersions).to.deep.equal(['*']);
    expect(b.patch!(exports)).to.equal(exports);
    expect(load.callCount).to.equal(1);
  });

  it('a package whose version the hook could not read (its package.json unreadable) is seen all the same', () => {
    const { load, file } = provider();
    const [a] = deferredDefinitions(['sdk-a'], load);
    a.moduleVersion = undefined;
    expect(a.files).to.deep.equal([file]);
    expect(load.callCount).to.equal(1);
  });

  it('patches through manuallyInstrument() (patch called before any hook)', () => {
    const { load, patched } = provider();
    const [a] = deferredDefinitions(['sdk-a'], load);
    const exports = {};
    a.patch!(exports);
    expect(patched).to.deep.equal([[exports, undefined]]);
  });

  it('a package the provider does not define, or a provider that cannot load, is never patched and never throws', () => {
    const error = sinon.stub(diag, 'error');
    const [missing] = deferredDefinitions(['sdk-c'], provider().load);
    missing.moduleVersion = '1.0.0';
    expect([missing.supportedVersions, missing.files]).to.deep.equal([[], []]);
    const [broken] = deferredDefinitions(['sdk-d'], () => {
      throw new Error('cannot load');
    });
    broken.moduleVersion = '1.0.0';
    const exports = {};
    expect([broken.supportedVersions, broken.files, broken.patch!(exports)]).to.deep.equal([[], [], exports]);
    expect(error.callCount).to.equal(1);
    expect(String(error.firstCall.args[0])).to.equal('@infinium/otel: could not load the instrumentation of sdk-d; their calls are not traced');
  });
});
