/**
 * Zero-code start: `node --require @infinium/otel/register app.js` (CommonJS) or
 * `node --import @infinium/otel/register app.mjs` (ESM). Configured only through the environment;
 * see docs/configuration.md. Nothing here may stop the app from starting.
 */
import { unresolvable } from './compat/otel-line';
import type { Registration } from './register/start';

/**
 * What our own code loads before anything else can run and the app must provide: the API, whose one copy
 * is the app's. `@opentelemetry/instrumentation` is our own dependency and `@opentelemetry/core` is not used
 * (lib/compat/sdk-shared.ts); the app's SDK is checked by the start itself.
 */
const REQUIRED_PEERS = ['@opentelemetry/api'];

let registration: Registration | undefined;
const missing = unresolvable(REQUIRED_PEERS);
if (missing.length > 0) {
  // `diag` lives in @opentelemetry/api, which may be the missing piece, so this one line goes to stderr itself.
  process.stderr.write(
    `@infinium/otel/register: tracing is off, the app runs untraced: ${missing.join(', ')} not installed. ` +
      `Install: npm install ${missing.join(' ')} @opentelemetry/sdk-node\n`,
  );
} else {
  // Loaded only now, so that a missing peer above cannot crash the app at require time.
  const { diag } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  try {
    registration = (require('./register/start') as typeof import('./register/start')).startFromEnv();
  } catch (err) {
    diag.error('@infinium/otel/register: tracing could not be started; the app runs without it', err);
  }
}

export { registration };
export type { Registration };
