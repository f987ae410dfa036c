import { expect } from 'chai';
import path from 'node:path';
import { FIXTURES, runNode } from './run-node';

/**
 * What InfiniumInstrumentation says about the ESM hook it registers itself, in child processes (the
 * hook is process-wide, registered once). That it works is shown by test/docs/quick-start.test.ts.
 */
const CASES = path.join(FIXTURES, 'esm-hook-cases.cjs');

describe('the ESM hook InfiniumInstrumentation registers (child processes)', function () {
  this.timeout(30_000);

  it('without module.register: one diag line says ESM imports are not hooked', async () => {
    const result = await runNode([CASES, 'no-module-register'], {}).exited;
    expect(result.code).to.equal(0);
    expect(result.stderr).to.equal(
      '@infinium/otel: this Node.js has no module.register; ESM imports of the LLM SDKs will not be patched\n',
    );
  });

  it('an SDK required before the instrumentation: one line, naming it, however many instances', async () => {
    const result = await runNode([CASES, 'late-sdk'], {}).exited;
    expect(result.code).to.equal(0);
    expect(result.stderr).to.equal(
      '@infinium/otel: openai was loaded before InfiniumInstrumentation was enabled, so its calls are not traced; ' +
        'start tracing before the app loads openai (load the tracing file with --require or --import), ' +
        'or pass the module to manuallyInstrument()\n',
    );
  });
});
