import { truncateText } from '../config/text-cap';

/** What a credential becomes, the same marker as every hidden value. */
const REDACTED = '__REDACTED__';

/**
 * Key-shaped strings: OpenAI / Anthropic / DeepSeek (`sk-…`, `sk-ant-…`, `sk-proj-…`), xAI (`xai-…`),
 * Groq (`gsk_…`), Google (`AIza…`), AWS access key ids (`AKIA…`, `ASIA…`). Not inside a longer word
 * (`task-list-items` holds no key); at least 8 characters after the prefix, so the prefix alone, or an SDK's
 * own `sk-…1234` hint, is not mistaken for one.
 */
const KEY_SHAPED = /(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_-]{8,}|xai-[A-Za-z0-9_-]{8,}|gsk_[A-Za-z0-9_]{8,}|AIza[A-Za-z0-9_-]{8,}|A[KS]IA[A-Z0-9]{16})/g;

/** The token of an `Authorization: Bearer …` value echoed into a message, whatever its shape. */
const AUTH_TOKEN = /\b(Bearer)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

/** Characters read past the cap before redacting, so that a key cut by the cap is still recognised whole. */
const SECRET_MARGIN = 256;

/** `text` with every key-shaped string and bearer token replaced by `__REDACTED__`. */
export function redactSecrets(text: string): string {
  // Most messages hold none: test before building a new string.
  KEY_SHAPED.lastIndex = 0;
  AUTH_TOKEN.lastIndex = 0;
  if (!KEY_SHAPED.test(text) && !AUTH_TOKEN.test(text)) return text;
  return text.replace(KEY_SHAPED, REDACTED).replace(AUTH_TOKEN, `$1$2${REDACTED}`);
}

/**
 * Error text as a span may carry it (a status message, an exception's message or stack): capped to
 * `maxLength` with the visible truncation marker, and with its secrets redacted. Only the head that is kept
 * is scanned, so a 5 MB body costs what its first 32 KB cost.
 */
export function boundedErrorText(text: string, maxLength: number): string {
  const long = text.length > maxLength;
  const head = long ? text.slice(0, maxLength + SECRET_MARGIN) : text;
  const redacted = redactSecrets(head);
  return truncateText(redacted, maxLength, long ? text.length : redacted.length);
}
