import { diag } from '@opentelemetry/api';
import path from 'node:path';

const reportedPreloads = new Set<string>();

/**
 * Says once per module when an SDK we patch was already `require`d before the instrumentation was
 * enabled: the require hook never sees it again, so its calls would silently go untraced. (Modules
 * loaded through ESM `import` leave no trace a library can inspect; only CommonJS loads are found.)
 */
export function reportSdksLoadedBeforePatching(moduleNames: readonly string[]): void {
  const pending = moduleNames.filter((name) => !reportedPreloads.has(name));
  if (pending.length === 0) return;
  const loaded = packagesLoaded();
  for (const name of pending) {
    if (!loaded.has(name)) continue;
    reportedPreloads.add(name);
    diag.warn(
      `@infinium/otel: ${name} was loaded before InfiniumInstrumentation was enabled, so its calls are not traced; ` +
        `start tracing before the app loads ${name} (load the tracing file with --require or --import), ` +
        'or pass the module to manuallyInstrument()',
    );
  }
}

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/**
 * The packages (`name` or `@scope/name`) that files in the require cache lie in, at any depth of
 * node_modules. One pass over the cache, whose files an app counts in the thousands: a search of every file
 * for each of the ~25 packages we hook cost about 1.5 ms at start.
 */
function packagesLoaded(): Set<string> {
  const names = new Set<string>();
  for (const file of Object.keys(require.cache)) {
    for (let at = file.indexOf(NODE_MODULES); at >= 0; at = file.indexOf(NODE_MODULES, at + 1)) {
      const start = at + NODE_MODULES.length;
      let end = file.indexOf(path.sep, start);
      if (end > 0 && file[start] === '@') end = file.indexOf(path.sep, end + 1);
      if (end > 0) names.add(file.slice(start, end).split(path.sep).join('/'));
    }
  }
  return names;
}
