/**
 * Which provider serves an OpenAI-SDK client, from its base URL. The SDK is used for OpenAI itself, xAI
 * (Grok) and many OpenAI-compatible hosts; Infinium's own SDK detects xAI the same way.
 */
export interface ServedBy {
  provider: string;
  /** Recorded as `server.address` when the host is not one we recognise. */
  serverAddress?: string;
}

const HOST_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|\.)api\.openai\.com$/, 'openai'],
  [/(^|\.)x\.ai$|grok|xai/, 'xai'],
  [/azure/, 'azure'],
  [/groq/, 'groq'],
  [/deepseek/, 'deepseek'],
  [/openrouter/, 'openrouter'],
  [/together/, 'together'],
  [/fireworks/, 'fireworks'],
  [/mistral/, 'mistralai'],
  [/perplexity/, 'perplexity'],
  [/cerebras/, 'cerebras'],
  [/ollama/, 'ollama'],
];

const OPENAI: ServedBy = { provider: 'openai' };
const cache = new Map<string, ServedBy>();

export function detectProvider(baseURL: unknown): ServedBy {
  if (typeof baseURL !== 'string' || baseURL === '') return OPENAI;
  let found = cache.get(baseURL);
  if (!found) {
    found = classify(baseURL);
    if (cache.size < 256) cache.set(baseURL, found);
  }
  return found;
}

function classify(baseURL: string): ServedBy {
  let host: string;
  let port: string;
  try {
    const url = new URL(baseURL);
    host = url.hostname.toLowerCase();
    port = url.port;
  } catch {
    return OPENAI;
  }
  for (const [pattern, provider] of HOST_RULES) if (pattern.test(host)) return { provider };
  // Ollama's OpenAI-compatible endpoint listens on 11434 by default.
  if (port === '11434') return { provider: 'ollama' };
  return { provider: 'openai-compatible', serverAddress: host };
}
