import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { LangChainHandler } from '../../../lib/frameworks/langchain/handler';
import { REDACTED } from '../../../lib/masking/mask';
import { resolveTraceConfig } from '../../../lib/masking/trace-config';
import { attr, lc, prompt, reply, ScriptedChatModel, ShelfRetriever, useHandler } from './handler-fixtures';

const { StringOutputParser } = lc.parsers;
const { tool } = lc.tools;
const { z } = lc.zod;

/** The content keys of each run, per span name: what OPENINFERENCE_HIDE_INPUTS/OUTPUTS act on. */
const KEYS = ['input.value', 'output.value', 'llm.prompt_template.template', 'llm.prompt_template.variables', 'llm.input_messages.0.message.content', 'llm.output_messages.0.message.content', 'retrieval.documents.0.document.content', 'retrieval.documents.0.document.metadata', 'metadata', 'session.id'];

describe('LangChainHandler: OPENINFERENCE_HIDE_INPUTS and OPENINFERENCE_HIDE_OUTPUTS on every kind of run', () => {
  const suite = useHandler();

  /** A chain (prompt, unclaimed model, parser), a tool call and a retrieval, traced under `env`; each span's content keys. */
  async function contentUnder(env: Record<string, string>): Promise<Record<string, Record<string, unknown>>> {
    const handler = new LangChainHandler({ ...suite.runtime, traceConfig: resolveTraceConfig({}, env) });
    const chain = prompt().pipe(new ScriptedChatModel([reply('an answer')])).pipe(new StringOutputParser());
    await chain.invoke({ role: 'a poet', topic: 'cats' }, { callbacks: [handler], metadata: { session_id: 's-1', team: 'x' } });
    const adder = tool(async ({ a }: { a: string }) => `got ${a}`, { name: 'adder', description: 'adds', schema: z.object({ a: z.string() }) });
    await adder.invoke({ id: 'call_1', name: 'adder', args: { a: 'two' }, type: 'tool_call' }, { callbacks: [handler] });
    await new ShelfRetriever().invoke('cats', { callbacks: [handler] });
    const out: Record<string, Record<string, unknown>> = {};
    for (const span of (await suite.tracing.spans()) as ReadableSpan[]) {
      const kept: Record<string, unknown> = {};
      for (const key of KEYS) if (attr(span, key) !== undefined) kept[key] = attr(span, key);
      out[span.name] = kept;
    }
    return out;
  }

  it('OPENINFERENCE_HIDE_INPUTS: every input (chain, template and variables, messages in, tool arguments, query) redacted or dropped; outputs (the filled prompt is the PROMPT run\'s output), documents, metadata and session kept', async () => {
    const meta = { metadata: '{"session_id":"s-1","team":"x"}', 'session.id': 's-1' };
    const filled = '[{"role":"system","content":"You are a poet."},{"role":"user","content":"Tell me about cats"}]';
    expect(await contentUnder({ OPENINFERENCE_HIDE_INPUTS: 'true' })).to.deep.equal({
      RunnableSequence: { 'input.value': REDACTED, 'output.value': 'an answer', ...meta },
      ChatPromptTemplate: { 'input.value': REDACTED, 'llm.prompt_template.template': REDACTED, 'llm.prompt_template.variables': REDACTED, 'output.value': filled, ...meta },
      chat: { 'input.value': REDACTED, 'llm.output_messages.0.message.content': 'an answer', 'output.value': 'an answer', ...meta },
      StrOutputParser: { 'input.value': REDACTED, 'output.value': 'an answer', ...meta },
      adder: { 'input.value': REDACTED, 'output.value': 'got two' },
      ShelfRetriever: { 'input.value': REDACTED, 'retrieval.documents.0.document.content': 'about cats', 'retrieval.documents.0.document.metadata': '{"source":"a.txt","score":0.9}' },
    });
  });

  it('OPENINFERENCE_HIDE_OUTPUTS: every output (chain, prompt, messages out, tool result, documents) redacted or dropped; inputs, template, metadata and session kept', async () => {
    const meta = { metadata: '{"session_id":"s-1","team":"x"}', 'session.id': 's-1' };
    const variables = '{"role":"a poet","topic":"cats"}';
    expect(await contentUnder({ OPENINFERENCE_HIDE_OUTPUTS: 'true' })).to.deep.equal({
      RunnableSequence: { 'input.value': variables, 'output.value': REDACTED, ...meta },
      ChatPromptTemplate: {
        'input.value': variables, 'llm.prompt_template.template': 'system: You are {role}.\nuser: Tell me about {topic}', 'llm.prompt_template.variables': variables, 'output.value': REDACTED, ...meta,
      },
      chat: {
        'input.value': '[{"role":"system","content":"You are a poet."},{"role":"user","content":"Tell me about cats"}]', 'llm.input_messages.0.message.content': 'You are a poet.', 'output.value': REDACTED, ...meta,
      },
      StrOutputParser: { 'input.value': '{"role":"assistant","content":"an answer"}', 'output.value': REDACTED, ...meta },
      adder: { 'input.value': '{"a":"two"}', 'output.value': REDACTED },
      ShelfRetriever: { 'input.value': 'cats', 'retrieval.documents.0.document.content': REDACTED, 'retrieval.documents.0.document.metadata': REDACTED },
    });
  });
});
