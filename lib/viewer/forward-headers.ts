/**
 * The headers `--forward` sends with every relayed export (a team collector's key): from
 * OTEL_EXPORTER_OTLP_HEADERS, then OTEL_EXPORTER_OTLP_TRACES_HEADERS, then each `--forward-header "Name: value"`,
 * a later one replacing an earlier one of the same name. A header value is a secret: no message here quotes
 * one (nor the whole entry it came in), only names and positions.
 */
export class HeaderError extends Error {}

/** RFC 9110 token characters: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible characters, spaces and tabs (RFC 9110 field-value, obs-text included): no CR, LF or NUL. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Set by the relay itself: the body is forwarded exactly as received, with its own type and length. */
const RESERVED = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding', 'host', 'connection']);

export type ForwardHeaders = Record<string, string>;

function check(name: string, value: string, where: string): void {
  // Not quoted: what stands before the colon may be a mistyped secret.
  if (!TOKEN.test(name)) throw new HeaderError(`${where}: the name is no header name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
  if (RESERVED.has(name.toLowerCase())) throw new HeaderError(`${where}: ${name} is set by the relay (the body goes on as received)`);
  if (!FIELD_VALUE.test(value)) throw new HeaderError(`${where}: the value of ${name} holds a line break or control character`);
}

function put(headers: ForwardHeaders, name: string, value: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  headers[name] = value;
}

/** `--forward-header "Name: value"` (the value may be empty; spaces around it are dropped). */
export function addFlagHeader(headers: ForwardHeaders, flag: string, position: number): void {
  const where = `--forward-header #${position}`;
  const colon = flag.indexOf(':');
  if (colon <= 0) throw new HeaderError(`${where} must be "Name: value" (e.g. "Authorization: Bearer <key>"), and has no name before a colon`);
  const name = flag.slice(0, colon).trim();
  const value = flag.slice(colon + 1).trim();
  check(name, value, where);
  put(headers, name, value);
}

function decode(part: string, what: string, where: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HeaderError(`${where}: ${what} is not valid percent-encoding`);
  }
}

/** The OTel specification's `key1=value1,key2=value2`, keys and values percent-decoded (W3C Baggage style). */
export function addEnvHeaders(headers: ForwardHeaders, text: string, variable: string): void {
  text.split(',').forEach((entry, index) => {
    if (entry.trim() === '') return;
    const where = `${variable} entry ${index + 1}`;
    const equals = entry.indexOf('=');
    if (equals <= 0) throw new HeaderError(`${where} must be name=value`);
    const name = decode(entry.slice(0, equals).trim(), 'its name', where);
    const value = decode(entry.slice(equals + 1).trim(), 'its value', where);
    check(name, value, where);
    put(headers, name, value);
  });
}

/** The headers to forward with: the environment's, then the flags'. */
export function forwardHeaders(flags: readonly string[], env: NodeJS.ProcessEnv): ForwardHeaders {
  const headers: ForwardHeaders = {};
  for (const variable of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']) {
    const text = env[variable];
    if (text) addEnvHeaders(headers, text, variable);
  }
  flags.forEach((flag, index) => addFlagHeader(headers, flag, index + 1));
  return headers;
}
