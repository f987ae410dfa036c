import path from 'node:path';

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
