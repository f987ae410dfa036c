import { context, diag } from '@opentelemetry/api';
import diagnosticsChannel from 'node:diagnostics_channel';
import { isInsideLlmCall } from './call-context';

/**
 * The warning a CommonJS app gets where we cannot trace an SDK that a dependency `import()`s (Node 20, which
 * publishes no `module.import` channel; esm-loader-hook.ts `watchImports`): that ESM copy is never patched, and
 * nothing announces its load to a library. Its requests do show: Node's fetch (undici) publishes every request
 * it creates. The first request to an LLM API path that goes out while none of our LLM calls is active in the
 * OTel context says so once, naming the setting, and the subscription ends.
 *
 * Cost until then: undici builds one message per request it creates (only while someone subscribes), and this
 * tests its path against one regular expression. Requests made with another client (node:http, axios) are
 * not seen: no warning, as before.
 */
export const UNTRACED_REQUEST_WARNING =
  'was sent by an SDK we did not patch, likely an ESM copy that a dependency import()ed; set INFINIUM_ESM_HOOK=true to trace it';

/** Published by undici (Node's fetch) for every request it creates: `{ request: { origin, path, method, … } }`. */
const REQUEST_CREATED = 'undici:request:create';

/** The start events of Node's `module.import` tracing channel (published by Node 22 and later). */
export const IMPORT_STARTS = 'tracing:module.import:start';

/**
 * The endpoints of the SDKs we patch, matched on the path's end only (query string cut): OpenAI-compatible
 * chat, completions, embeddings and responses; Anthropic messages; Gemini's generate calls. Conservative:
 * a path that merely contains one of them (`/responses/{id}`, `/v1/messages/batches`) is no LLM call we trace.
 */
const LLM_API_PATH = /(?:\/chat\/completions|\/completions|\/embeddings|\/responses|\/v1\/messages|:generateContent|:streamGenerateContent)$/;

/**
 * Watches requests until the first untraced one to an LLM API path, warns once, then stops. Returns how to stop
 * watching (the ESM hook was registered after all, or Node turned out to announce `import()`), or undefined
 * where undici's channel cannot be subscribed.
 */
export function warnOnUntracedLlmRequest(): (() => void) | undefined {
  let watching = true;
  const stop = () => {
    if (!watching) return;
    watching = false;
    try {
      diagnosticsChannel.unsubscribe(REQUEST_CREATED, onRequest);
    } catch (err) {
      diag.debug('@infinium/otel: cannot unsubscribe from undici:request:create', err);
    }
  };
  function onRequest(message: unknown): void {
    try {
      const target = llmRequestTarget(message);
      if (target === undefined || isInsideLlmCall(context.active())) return;
      stop();
      // Where Node announces import(), an ESM copy would have registered the hook before loading: the request
      // comes from something else (a raw fetch, an SDK loaded before tracing started), which this does not name.
      if (importChannelPublished()) return;
      diag.warn(`@infinium/otel: a request to ${target} ${UNTRACED_REQUEST_WARNING}`);
    } catch (err) {
      diag.debug('@infinium/otel: the untraced-request check failed', err);
    }
  }
  try {
    diagnosticsChannel.subscribe(REQUEST_CREATED, onRequest);
    return stop;
  } catch (err) {
    diag.debug('@infinium/otel: cannot watch requests (undici:request:create)', err);
    return undefined;
  }
}

/** `host` + path (no query string, never a header) of a request to an LLM API path; undefined for any other. */
function llmRequestTarget(message: unknown): string | undefined {
  const request = (message as { request?: { origin?: unknown; path?: unknown } } | null)?.request;
  if (typeof request?.path !== 'string') return undefined;
  const path = request.path.split('?', 1)[0];
  if (!LLM_API_PATH.test(path)) return undefined;
  return `${hostOf(request.origin)}${path}`;
}

function hostOf(origin: unknown): string {
  try {
    return new URL(String(origin)).host;
  } catch {
    return '';
  }
}

/**
 * Whether this Node publishes `module.import`: its start event is published synchronously inside the
 * `import()` call, so one `import()` of a built-in answers at once. Run once, when the warning is due.
 */
function importChannelPublished(): boolean {
  let seen = false;
  const onStart = () => {
    seen = true;
  };
  try {
    diagnosticsChannel.subscribe(IMPORT_STARTS, onStart);
    import('node:path').catch(() => undefined);
  } catch (err) {
    diag.debug('@infinium/otel: cannot probe the module.import channel', err);
  } finally {
    try {
      diagnosticsChannel.unsubscribe(IMPORT_STARTS, onStart);
    } catch {
      // Nothing to undo.
    }
  }
  return seen;
}
