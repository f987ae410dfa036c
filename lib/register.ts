/**
 * Zero-code start: `node --require @infinium/otel/register app.js` (CommonJS) or
 * `node --import @infinium/otel/register app.mjs` (ESM). Configured only through the environment;
 * see docs/configuration.md. Nothing here may stop the app from starting.
 */
import { diag } from '@opentelemetry/api';
import { Registration, startFromEnv } from './register/start';

let registration: Registration | undefined;
try {
  registration = startFromEnv();
} catch (err) {
  diag.error('@infinium/otel/register: tracing could not be started; the app runs without it', err);
}

export { registration };
export type { Registration };
