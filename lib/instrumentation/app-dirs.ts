import fs from 'node:fs';
import path from 'node:path';

/**
 * What the app is and where its packages are, as the ESM loader hook's decision needs it (esm-loader-hook.ts):
 * the directories its own `require`/`import()` resolve from, whether its entry runs as ESM, and whether a
 * package is installed where the app finds it. Nothing here loads a package: it is only resolved or read.
 */

/**
 * The directories the app's own `require` and `import()` resolve its packages from: the working directory,
 * the main module's directory, and the directory of the script named on the command line. Under
 * `--require`/`--import` (how `@infinium/otel/register` runs) the instrumentation starts before the main
 * module exists, so `require.main` is still unset and that script stands in for it (a workspace package's
 * own copy of an SDK is found from there). Each directory once, in that order.
 */
export function appDirs(): string[] {
  const main = typeof require !== 'undefined' ? require.main?.filename : undefined;
  const script = process.argv[1];
  const dirs = [process.cwd(), main && path.dirname(main), typeof script === 'string' && script !== '' ? path.dirname(path.resolve(script)) : undefined];
  return [...new Set(dirs.filter((dir): dir is string => !!dir))];
}

/**
 * Whether the app's entry point runs as ESM: `.mjs`/`.mts`, a `"type": "module"` package, or a typeless
 * `.js`/`.ts` written with `import`/`export` (Node 22 detects those as ESM). A CommonJS app needs no loader
 * hook at start, and registering one there has a cost (the off-thread loader runs every `--require` preload
 * a second time, inside its thread). Unknown entries (`-e`, a REPL, an unreadable file) count as ESM.
 */
export function entryLooksLikeEsm(entry: string | undefined): boolean {
  if (!entry) return true;
  try {
    const file = path.resolve(entry);
    const ext = path.extname(file);
    if (ext === '.mjs' || ext === '.mts') return true;
    if (ext === '.cjs' || ext === '.cts') return false;
    const type = packageTypeOf(path.dirname(file));
    if (type !== undefined) return type === 'module';
    return /^\s*(import\s*[\w{*'"]|export\s)/m.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * Whether one of `packages` is installed where the app's own `import()` finds it (`bases`: `appDirs()`).
 * Used for the ESM-only SDKs we patch (the Claude Agent SDK): a CommonJS app loads such an SDK through
 * `import()` and is traced only with the hook, so the hook is worth registering at start there; an app
 * without one pays a few failed lookups, once (about 0.6 ms at start). A copy only another package resolves
 * (nested in its node_modules) is not found: the `module.import` watch or INFINIUM_ESM_HOOK=true covers it.
 */
export function packageInstalled(bases: readonly string[], packages: readonly string[]): boolean {
  for (const base of new Set(bases)) {
    for (const name of packages) {
      try {
        require.resolve(name, { paths: [base] });
        return true;
      } catch (err) {
        // Installed, with an `exports` map that offers `require` nothing (an `import`-only condition): still there.
        if ((err as { code?: unknown } | null)?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return true;
        // Otherwise not installed where this base looks.
      }
    }
  }
  return false;
}

/** The `type` of the nearest package.json above `dir` ('module', 'commonjs'), undefined when none says. */
function packageTypeOf(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const file = path.join(current, 'package.json');
    if (fs.existsSync(file)) {
      const type = (JSON.parse(fs.readFileSync(file, 'utf8')) as { type?: unknown }).type;
      return typeof type === 'string' ? type : undefined;
    }
    if (path.dirname(current) === current) return undefined;
  }
}
