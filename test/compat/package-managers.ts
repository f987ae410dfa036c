import fs from 'node:fs';
import path from 'node:path';
import { npm, ProcessResult, run, Runtime, toolEnv } from './node-runtime';

/**
 * The package managers a user adds us with: the machine's npm, and pnpm and yarn 1 pinned as this
 * repository's devDependencies (so the lockfile holds their exact versions and `npm ci` brings them). Each
 * runs under the app's node, with the machine's registry settings and its own shared cache (npm's cache,
 * pnpm's store, yarn's cache), so that apps after the first reuse what earlier ones fetched.
 */
export type PackageManager = 'npm' | 'pnpm' | 'yarn';

const REPO_MODULES = path.resolve(__dirname, '..', '..', 'node_modules');
const CLIS: Readonly<Record<Exclude<PackageManager, 'npm'>, { cli: string; flags: string[] }>> = {
  // The default layout: isolated (strict) node_modules, peers auto-installed, nothing hoisted to the app.
  pnpm: { cli: path.join(REPO_MODULES, 'pnpm', 'bin', 'pnpm.cjs'), flags: ['--prefer-offline', '--reporter=append-only'] },
  yarn: { cli: path.join(REPO_MODULES, 'yarn', 'bin', 'yarn.js'), flags: ['--prefer-offline', '--non-interactive', '--no-progress'] },
};

/** Installs what the app's package.json lists; `legacyPeerDeps` (npm only) as `npm install --legacy-peer-deps`. */
export function installAll(pm: PackageManager, runtime: Runtime, dir: string, legacyPeerDeps = false): Promise<ProcessResult> {
  if (pm === 'npm') return npm(runtime, legacyPeerDeps ? ['install', '--legacy-peer-deps'] : ['install'], dir);
  return runCli(pm, runtime, ['install'], dir);
}

/** The user's plain add of one package (`npm install x`, `pnpm add x`, `yarn add x`); a tarball stands in for the name. */
export function addPackage(pm: PackageManager, runtime: Runtime, dir: string, tarball: string): Promise<ProcessResult> {
  if (pm === 'npm') return npm(runtime, ['install', tarball], dir);
  return runCli(pm, runtime, ['add', pm === 'yarn' ? `file:${tarball}` : tarball], dir);
}

function runCli(pm: Exclude<PackageManager, 'npm'>, runtime: Runtime, args: string[], dir: string): Promise<ProcessResult> {
  const { cli, flags } = CLIS[pm];
  if (!fs.existsSync(cli)) throw new Error(`${pm} is not installed in this repository's node_modules (run npm ci)`);
  return run(runtime, [cli, ...args, ...flags], dir, toolEnv());
}

/**
 * The lines of the package manager's output that report a peer dependency problem of `name` itself
 * (pnpm: `✕ unmet peer …` under the package, yarn 1: `"> name" has unmet/incorrect peer dependency`).
 */
export function peerWarningsAbout(pm: PackageManager, output: string, name: string): string[] {
  const lines = output.split('\n');
  if (pm === 'yarn') return lines.filter((l) => l.includes(`> ${name}@`) && /peer dependency/.test(l));
  if (pm === 'pnpm') {
    // pnpm prints a tree: `└─┬ name version` followed by its indented `✕ unmet peer …` / `✕ missing peer …` lines.
    const found: string[] = [];
    let inside = false;
    for (const line of lines) {
      if (/[┬─] /.test(line) && !/peer/.test(line)) inside = line.includes(` ${name} `);
      else if (inside && /(unmet|missing) peer/.test(line)) found.push(line.trim());
    }
    return found;
  }
  return lines.filter((l) => /ERESOLVE|peer/.test(l) && l.includes(name));
}
