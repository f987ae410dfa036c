import type { FakeLlmServer } from '../../helpers/fake-llm-server';

/**
 * `@google-cloud/vertexai` 1.x always calls `https://{apiEndpoint}/…` with the global `fetch`: it has no
 * protocol option and no `fetch` option, and the fake servers speak cleartext HTTP. So, for the suite only,
 * the global `fetch` sends requests for the fake's own address (`apiEndpoint: server.host`), and for the
 * default regional hosts (which a preview chat session always calls: the SDK does not hand it the
 * apiEndpoint), to the fake over `http:`; every other URL passes through untouched. The SDK's own URL building, headers, body and
 * response handling all run as in production.
 */
export function routeVertexToFake(server: FakeLlmServer): { host: string; restore(): void } {
  const original = globalThis.fetch;
  const host = new URL(server.origin).host;
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.protocol !== 'https:' || (url.host !== host && !url.hostname.endsWith('-aiplatform.googleapis.com'))) return original(input, init);
    return original(`${server.origin}${url.pathname}${url.search}`, init);
  };
  return { host, restore: () => void (globalThis.fetch = original) };
}

/** An auth client that needs no network: GoogleAuth takes it as it is (`googleAuthOptions.authClient`). */
export const VERTEX_TOKEN = 'ya29.fixed-test-token';
export const fixedAuthClient = {
  getAccessToken: async () => ({ token: VERTEX_TOKEN }),
  getRequestHeaders: async () => ({ Authorization: `Bearer ${VERTEX_TOKEN}` }),
};
