import { asRecord } from '../../record/read';

/** The base URL of a Stainless SDK resource's client (`client.chat.completions._client.baseURL`). */
export function clientBaseUrl(resource: unknown): unknown {
  return asRecord(asRecord(resource)?._client)?.baseURL;
}
