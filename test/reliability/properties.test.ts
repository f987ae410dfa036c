import { expect } from 'chai';
import fc from 'fast-check';
import type { Attributes } from '@opentelemetry/api';
import { maskAttributes } from '../../lib/masking/mask';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { genAiCallRecord } from '../../lib/processor/genai-mapper';
import { messagesCreate } from '../../lib/providers/anthropic/messages';
import { readContents, readGeminiTools, readSystemInstruction } from '../../lib/providers/google/content';
import { GeminiChunkAssembler, readEmbeddingResponse, readGenerateContentResponse } from '../../lib/providers/google/response';
import { chatCompletions } from '../../lib/providers/openai/chat';
import { legacyCompletions } from '../../lib/providers/openai/completions';
import { embeddingsCreate } from '../../lib/providers/openai/embeddings';
import { responsesCreate } from '../../lib/providers/openai/responses';
import type { StainlessOperation } from '../../lib/providers/stainless/traced-method';
import { CallKind, CallRecord, createCallRecord } from '../../lib/record/call-record';
import { renderCallRecord } from '../../lib/semconv/render';

const CONTENT_ON = resolveTraceConfig({ captureContent: true }, {});
const CONTENT_OFF = resolveTraceConfig({ captureContent: false }, {});
const RUNS = { numRuns: 150 };

/** A valid OTel attribute value: a string, number or boolean, or a homogeneous array of one of them. */
function isValidAttributeValue(value: unknown): boolean {
  if (['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (!Array.isArray(value)) return false;
  const types = new Set(value.map((v) => typeof v));
  return types.size <= 1 && [...types].every((t) => t === 'string' || t === 'number' || t === 'boolean');
}

function expectValidAttributes(attributes: Attributes): void {
  for (const [key, value] of Object.entries(attributes)) {
    expect(isValidAttributeValue(value), `${key} = ${String(value)}`).to.equal(true);
  }
}

/** Renders with content on and off; both must give valid attributes. */
function renderBoth(record: CallRecord): void {
  expectValidAttributes(renderCallRecord(record, CONTENT_ON));
  expectValidAttributes(renderCallRecord(record, CONTENT_OFF));
}

// JSON-ish values, with the odd things a misbehaving server or app can put there: BigInt, NaN, -0, sparse
// arrays, null prototypes, dates, very long strings.
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue() },
  { weight: 2, arbitrary: fc.anything({ withBigInt: true, withNullPrototype: true, withDate: true, withSparseArray: true, withTypedArray: true }) },
);
const anyObject = fc.dictionary(
  fc.oneof(fc.constantFrom('model', 'messages', 'input', 'prompt', 'tools', 'stream', 'system', 'content', 'choices', 'usage', 'type', 'index'), fc.string()),
  anyValue,
);
const anyChunks = fc.array(fc.oneof(anyValue, anyObject), { maxLength: 8 });

const STAINLESS: Array<[string, StainlessOperation]> = [
  ['openai chat.completions', chatCompletions],
  ['openai completions', legacyCompletions],
  ['openai embeddings', embeddingsCreate],
  ['openai responses', responsesCreate],
  ['anthropic messages', messagesCreate],
];

describe('reliability: property-based', () => {
  describe('adapters never throw on arbitrary shapes, and render only valid attribute values', () => {
    for (const [name, op] of STAINLESS) {
      it(name, () => {
        fc.assert(
          fc.property(anyObject, anyValue, anyChunks, (request, response, chunks) => {
            const record = createCallRecord(op.kind, op.operation, 'openai', op.system);
            op.readRequest(record, request);
            op.readResponse(record, response);
            renderBoth(record);
            if (op.chunkReader) {
              const streamed = createCallRecord(op.kind, op.operation, 'openai', op.system);
              op.readRequest(streamed, request);
              const reader = op.chunkReader(streamed);
              for (const chunk of chunks) reader.onChunk(chunk);
              reader.onStop?.();
              renderBoth(streamed);
            }
          }),
          RUNS,
        );
      });
    }

    it('google (@google/genai and @google/generative-ai readers)', () => {
      fc.assert(
        fc.property(anyValue, anyValue, anyValue, anyValue, anyChunks, (contents, system, tools, response, chunks) => {
          const record = createCallRecord('LLM', 'generate_content', 'google', 'vertexai');
          const instruction = readSystemInstruction(system);
          record.inputMessages = [...(instruction ? [instruction] : []), ...readContents(contents)];
          record.tools = readGeminiTools(tools);
          readGenerateContentResponse(record, response);
          renderBoth(record);
          const streamed = createCallRecord('LLM', 'generate_content', 'google', 'vertexai');
          const assembler = new GeminiChunkAssembler(streamed);
          for (const chunk of chunks) assembler.onChunk(chunk);
          assembler.onStop?.();
          renderBoth(streamed);
          const embedding = createCallRecord('EMBEDDING', 'embeddings', 'google', 'vertexai');
          readEmbeddingResponse(embedding, response);
          renderBoth(embedding);
        }),
        RUNS,
      );
    });

    it('the processor’s GenAI mapper, on arbitrary attributes (JSON and not-JSON message strings)', () => {
      const attributeValue = fc.oneof(
        fc.string(),
        fc.double(),
        fc.boolean(),
        fc.array(fc.string(), { maxLength: 3 }),
        anyValue.map((v) => {
          try {
            return JSON.stringify(v) ?? 'undefined';
          } catch {
            return 'not json';
          }
        }),
      );
      const keys = fc.constantFrom(
        'gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.system', 'gen_ai.request.model', 'gen_ai.response.model',
        'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.prompt_tokens', 'gen_ai.input.messages',
        'gen_ai.output.messages', 'gen_ai.system_instructions', 'gen_ai.response.finish_reasons', 'gen_ai.tool.definitions',
        'gen_ai.request.temperature', 'error.type',
      );
      fc.assert(
        fc.property(fc.dictionary(keys, attributeValue), fc.constantFrom<CallKind>('LLM', 'EMBEDDING'), (attributes, kind) => {
          renderBoth(genAiCallRecord(attributes as Attributes, kind));
        }),
        RUNS,
      );
    });
  });

  describe('captureContent: false never lets a marked secret through', () => {
    // A marker that cannot occur in structure (roles, types, mime types, __REDACTED__) by chance.
    const secret = fc.stringMatching(/^[a-zA-Z0-9]{6,16}$/).map((s) => `S3CR3T${s}`);
    const around = fc.string({ maxLength: 10 });
    const embedded = fc.tuple(around, secret, around).map(([a, s, b]) => ({ text: `${a}${s}${b}`, secret: s }));

    function expectHidden(attributes: Attributes, secretText: string): void {
      for (const [key, value] of Object.entries(attributes)) {
        expect(JSON.stringify(value), key).not.to.contain(secretText);
      }
    }

    /** The same record with content on does show the secret: the property above is not vacuous. */
    function expectShownWithContentOn(record: CallRecord, secretText: string): void {
      expect(JSON.stringify(renderCallRecord(record, CONTENT_ON))).to.contain(secretText);
    }

    it('openai chat: message content, parts and tool-call arguments, in requests, responses and streams', () => {
      fc.assert(
        fc.property(embedded, fc.constantFrom('string', 'parts', 'tool'), ({ text, secret: s }, where) => {
          const userContent = where === 'parts' ? [{ type: 'text', text }, { type: 'image_url', image_url: { url: `data:image/png;base64,${s}` } }] : text;
          const toolCalls = [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: JSON.stringify({ q: text }) } }];
          const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
          chatCompletions.readRequest(record, {
            model: 'gpt-4o-mini',
            messages: [
              { role: 'system', content: text },
              { role: 'user', content: userContent },
              { role: 'assistant', content: null, tool_calls: toolCalls },
              { role: 'tool', tool_call_id: 'call_1', content: text },
            ],
          });
          chatCompletions.readResponse(record, {
            model: 'gpt-4o-mini',
            choices: [{ index: 0, message: { role: 'assistant', content: text, tool_calls: where === 'tool' ? toolCalls : undefined }, finish_reason: 'stop' }],
          });
          expectHidden(renderCallRecord(record, CONTENT_OFF), s);
          expectShownWithContentOn(record, s);
          const streamed = createCallRecord('LLM', 'chat', 'openai', 'openai');
          const reader = chatCompletions.chunkReader!(streamed);
          for (const piece of [text.slice(0, 3), text.slice(3)]) reader.onChunk({ choices: [{ index: 0, delta: { content: piece } }] });
          reader.onChunk({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: text } }] } }] });
          reader.onStop?.();
          expectHidden(renderCallRecord(streamed, CONTENT_OFF), s);
          expectShownWithContentOn(streamed, s);
        }),
        RUNS,
      );
    });

    it('anthropic messages: system, text blocks, tool_use input and tool_result content', () => {
      fc.assert(
        fc.property(embedded, ({ text, secret: s }) => {
          const record = createCallRecord('LLM', 'chat', 'anthropic', 'anthropic');
          messagesCreate.readRequest(record, {
            model: 'claude-opus-4-1',
            max_tokens: 10,
            system: [{ type: 'text', text }],
            messages: [
              { role: 'user', content: text },
              { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'lookup', input: { q: text } }] },
              { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: text }] },
            ],
          });
          messagesCreate.readResponse(record, {
            model: 'claude-opus-4-1',
            content: [{ type: 'text', text }, { type: 'tool_use', id: 't2', name: 'lookup', input: { q: text } }],
            stop_reason: 'tool_use',
          });
          expectHidden(renderCallRecord(record, CONTENT_OFF), s);
          expectShownWithContentOn(record, s);
        }),
        RUNS,
      );
    });

    it('google: contents, system instruction, function calls and responses', () => {
      fc.assert(
        fc.property(embedded, ({ text, secret: s }) => {
          const record = createCallRecord('LLM', 'generate_content', 'google', 'vertexai');
          record.inputMessages = [
            readSystemInstruction(text)!,
            ...readContents([
              { role: 'user', parts: [{ text }] },
              { role: 'model', parts: [{ functionCall: { name: 'lookup', args: { q: text } } }] },
              { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { answer: text } } }] },
            ]),
          ];
          readGenerateContentResponse(record, { candidates: [{ content: { role: 'model', parts: [{ text }, { functionCall: { name: 'f', args: { q: text } } }] } }] });
          expectHidden(renderCallRecord(record, CONTENT_OFF), s);
          expectShownWithContentOn(record, s);
        }),
        RUNS,
      );
    });

    it('foreign GenAI spans: the mapped record and the raw gen_ai.* content attributes', () => {
      fc.assert(
        fc.property(embedded, ({ text, secret: s }) => {
          const attributes: Attributes = {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: text }]),
            'gen_ai.input.messages': JSON.stringify([
              { role: 'user', parts: [{ type: 'text', content: text }] },
              { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: { q: text } }] },
              { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: text }] },
            ]),
            'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text }], finish_reason: 'stop' }]),
            'gen_ai.tool.call.arguments': text,
            'gen_ai.tool.call.result': text,
          };
          const mapped = genAiCallRecord(attributes, 'LLM');
          expectHidden(renderCallRecord(mapped, CONTENT_OFF), s);
          expectShownWithContentOn(mapped, s);
          expectHidden(maskAttributes(CONTENT_OFF, { ...attributes }), s);
        }),
        RUNS,
      );
    });
  });
});
