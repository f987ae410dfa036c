import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entryLooksLikeEsm } from '../../lib/instrumentation/esm-loader-hook';
import { FIXTURES, runNode } from './run-node';

/**
 * What InfiniumInstrumentation says about the ESM hook it registers itself, in child processes (the
 * hook is process-wide, registered once). That it works is shown by test/docs/quick-start.test.ts.
 */
const CASES = path.join(FIXTURES, 'esm-hook-cases.cjs');

describe('the ESM hook InfiniumInstrumentation registers (child processes)', function () {
  this.timeout(30_000);

  it('without module.register: one diag line says ESM imports are not hooked', async () => {
    // The fixture is CommonJS, where the hook is not registered unless asked for.
    const result = await runNode([CASES, 'no-module-register'], { INFINIUM_ESM_HOOK: 'true' }).exited;
    expect(result.code).to.equal(0);
    expect(result.stderr).to.equal(
      '@infinium/otel: this Node.js has no module.register; ESM imports of the LLM SDKs will not be patched\n',
    );
  });

  it('SDKs required before the instrumentation: one line naming each (a scoped one too), however many instances', async () => {
    const result = await runNode([CASES, 'late-sdk'], {}).exited;
    expect(result.code).to.equal(0);
    const line = (name: string) =>
      `@infinium/otel: ${name} was loaded before InfiniumInstrumentation was enabled, so its calls are not traced; ` +
      `start tracing before the app loads ${name} (load the tracing file with --require or --import), ` +
      'or pass the module to manuallyInstrument()\n';
    expect(result.stderr).to.equal(line('openai') + line('@anthropic-ai/sdk'));
  });
});

describe('entryLooksLikeEsm (whether the hook is registered when INFINIUM_ESM_HOOK is unset)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esm-entry-'));
    for (const [name, type] of [['module-pkg', 'module'], ['cjs-pkg', 'commonjs'], ['typeless-pkg', undefined]] as const) {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'package.json'), JSON.stringify(type ? { type } : { name }));
    }
    fs.writeFileSync(path.join(dir, 'module-pkg', 'app.js'), "const x = require('x');\n");
    fs.writeFileSync(path.join(dir, 'cjs-pkg', 'app.js'), "import OpenAI from 'openai';\n");
    fs.writeFileSync(path.join(dir, 'typeless-pkg', 'esm.js'), "// app\nimport OpenAI from 'openai';\n");
    fs.writeFileSync(path.join(dir, 'typeless-pkg', 'cjs.js'), "const OpenAI = require('openai');\nawait import('x');\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('by extension, then by the package type, then by import/export syntax; unknown means yes', () => {
    expect(entryLooksLikeEsm(path.join(dir, 'typeless-pkg', 'app.mjs'))).to.equal(true);
    expect(entryLooksLikeEsm(path.join(dir, 'module-pkg', 'app.cjs'))).to.equal(false);
    expect(entryLooksLikeEsm(path.join(dir, 'module-pkg', 'app.js'))).to.equal(true);
    expect(entryLooksLikeEsm(path.join(dir, 'cjs-pkg', 'app.js'))).to.equal(false);
    expect(entryLooksLikeEsm(path.join(dir, 'typeless-pkg', 'esm.js'))).to.equal(true);
    expect(entryLooksLikeEsm(path.join(dir, 'typeless-pkg', 'cjs.js'))).to.equal(false);
    expect(entryLooksLikeEsm(path.join(dir, 'typeless-pkg', 'missing.js'))).to.equal(true);
    expect(entryLooksLikeEsm(undefined)).to.equal(true);
  });
});
