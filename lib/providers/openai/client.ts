import type { ServerEndpoint } from '../../record/call-record';
import { endpointOf } from '../../record/endpoint';
import { clientBaseUrl } from '../stainless/server';
import { detectProvider, ServedBy } from './provider-detect';

/** An OpenAI SDK resource (`client.chat.completions`) holds its client as `_client`; the client has `baseURL`. */
export function openaiServedBy(resource: unknown): ServedBy {
  return detectProvider(clientBaseUrl(resource));
}

/** The endpoint the client calls; without a base URL, OpenAI's. */
export function openaiServer(resource: unknown): ServerEndpoint | undefined {
  return endpointOf(clientBaseUrl(resource) ?? 'https://api.openai.com/v1');
}
