import { asRecord } from '../../record/read';
import { detectProvider, ServedBy } from './provider-detect';

/** An OpenAI SDK resource (`client.chat.completions`) holds its client as `_client`; the client has `baseURL`. */
export function openaiServedBy(resource: unknown): ServedBy {
  const client = asRecord(asRecord(resource)?._client);
  return detectProvider(client?.baseURL);
}
