import { diag } from '@opentelemetry/api';
import path from 'node:path';

const reportedPreloads = new Set<string>();

/**
 * Says once per module when an SDK we patch was already `require`d before the instrumentation was
 * enabled: the require hook never sees it again, so its calls would silently go untraced. (Modules
 * loaded through ESM `import` leave no trace a library can inspect; only CommonJS loads are found.)
 */
export function reportSdksLoadedBeforePatching(moduleNames: readonly string[]): void {
  const cached = Object.keys(require.cache);
  for (const name of moduleNames) {
    if (reportedPreloads.has(name)) continue;
    const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
    if (!cached.some((file) => file.includes(marker))) continue;
    reportedPreloads.add(name);
    diag.warn(
      `@infinium/otel: ${name} was loaded before InfiniumInstrumentation was enabled, so its calls are not traced; ` +
        `start tracing before the app loads ${name} (load the tracing file with --require or --import), ` +
        'or pass the module to manuallyInstrument()',
    );
  }
}
