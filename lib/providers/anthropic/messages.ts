import { asArray, asRecord, asString, without } from '../../record/read';
import { toolSchemas } from '../../record/json';
import type { StainlessOperation } from '../stainless/traced-method';
import { endpointOf } from '../../record/endpoint';
import { clientBaseUrl } from '../stainless/server';
import { outputBlockOf, OutputBlock, readInputMessages, readOutputMessage, readSystemMessage } from './content';
import { MessageStreamReader } from './stream-reader';
import { readAnthropicUsage } from '../../record/anthropic-usage';
import { keptParts } from '../../record/bounded';
import { anthropicServedBy } from './cloud';

/** Request keys that are content, not invocation parameters. */
const NOT_PARAMETERS = new Set(['messages', 'system', 'tools']);

/** `messages.create` and `beta.messages.create`, plain and streamed (the `stream()` helper included). */
export const messagesCreate: StainlessOperation = {
  kind: 'LLM',
  operation: 'chat',
  system: 'anthropic',
  // Anthropic, or Claude on Vertex AI or Bedrock (their clients share these classes).
  servedBy: anthropicServedBy,
  server: (resource) => endpointOf(clientBaseUrl(resource) ?? 'https://api.anthropic.com'),
  readRequest(record, body) {
    const system = readSystemMessage(body.system);
    record.inputMessages = [...(system ? [system] : []), ...asArray(body.messages).flatMap(readInputMessages)];
    record.tools = toolSchemas(asArray(body.tools));
    record.invocationParameters = without(body, NOT_PARAMETERS);
  },
  readResponse(record, data) {
    const response = asRecord(data);
    if (!response) return;
    record.responseModel = asString(response.model) ?? record.responseModel;
    record.responseId = asString(response.id);
    // Only the content blocks a record keeps are read.
    const blocks = keptParts(response.content, record)
      .map(outputBlockOf)
      .filter((b): b is OutputBlock => b !== undefined);
    record.outputMessages = [readOutputMessage(blocks)];
    record.finishReason = asString(response.stop_reason);
    record.usage = readAnthropicUsage(response.usage, record.usage);
  },
  chunkReader: (record) => new MessageStreamReader(record),
};
