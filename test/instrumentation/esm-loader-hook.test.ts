import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appDirs } from '../../lib/instrumentation/app-dirs';
import { esmOnlySdkInstalled } from '../../lib/instrumentation/esm-loader-hook';

const SDK = '@anthropic-ai/claude-agent-sdk';

/**
 * Whether a CommonJS app gets the loader hook for an ESM-only SDK: only where the app's own `import()`
 * would find the package. Each case an app directory of its own under a temporary one.
 */
describe('esmOnlySdkInstalled (the loader hook for a CommonJS app with an ESM-only SDK)', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'esm-only-sdk-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** An app directory with the SDK installed under `at` (node_modules path segments), its package.json `exports` as given. */
  function app(name: string, at: string[] | undefined, exports: unknown = { '.': { types: './sdk.d.ts', default: './sdk.mjs' } }): string {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    if (at) {
      const pkg = path.join(dir, ...at);
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: SDK, version: '0.3.337', type: 'module', exports }));
      fs.writeFileSync(path.join(pkg, 'sdk.mjs'), 'export function query() {}\n');
    }
    return dir;
  }

  it('installed where the app resolves it (as the SDK ships it: a default export condition): yes', () => {
    expect(esmOnlySdkInstalled([app('a', ['node_modules', SDK])])).to.equal(true);
  });

  it('installed with an import-only exports map (require resolves nothing, but it is there): yes', () => {
    expect(esmOnlySdkInstalled([app('a', ['node_modules', SDK], { '.': { import: './sdk.mjs' } })])).to.equal(true);
  });

  it('found from a parent directory, as Node resolves (a workspace package under the root that holds the SDK): yes', () => {
    const top = app('mono', ['node_modules', SDK]);
    const pkg = path.join(top, 'packages', 'web');
    fs.mkdirSync(pkg, { recursive: true });
    expect(esmOnlySdkInstalled([pkg])).to.equal(true);
  });

  it('not installed, or only nested inside another package (the app cannot import it): no', () => {
    expect(esmOnlySdkInstalled([app('none', undefined)])).to.equal(false);
    expect(esmOnlySdkInstalled([app('nested', ['node_modules', 'agent-kit', 'node_modules', SDK])])).to.equal(false);
  });

  it('only the SDKs asked about: an instance that patches none of them looks for nothing', () => {
    const dir = app('a', ['node_modules', SDK]);
    expect(esmOnlySdkInstalled([dir], [])).to.equal(false);
    expect(esmOnlySdkInstalled([dir], [SDK])).to.equal(true);
  });

  it('the second of several directories is enough (the main script elsewhere than the working directory)', () => {
    expect(esmOnlySdkInstalled([app('none', undefined), app('a', ['node_modules', SDK])])).to.equal(true);
  });
});

describe('appDirs (where the app resolves its packages from)', () => {
  it('the working directory first, then the main script directory, each once', () => {
    const dirs = appDirs();
    expect(dirs[0]).to.equal(process.cwd());
    expect(dirs).to.include(path.dirname(path.resolve(process.argv[1])));
    expect(new Set(dirs).size).to.equal(dirs.length);
  });
});
