import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ReceivedRequest } from '../../../helpers/fake-llm-server';
import { answer, answerStream, RESPONSE_MODEL } from './fixtures';
import { HUMAN_TEMPLATE, SYSTEM_TEMPLATE, useLangChainSuite } from './suite';
import { attributesUnder, childrenOf, kindOf, expectChildOf, expectOk, expectOneTree, ofKind, only, outline } from './tree';

/** The one user message of a chat request. */
function question(request: ReceivedRequest): string {
  return request.body.messages.find((m: { role: string }) => m.role === 'user').content;
}

const SEQUENCE_TREE = ['RunnableSequence CHAIN', '  ChatPromptTemplate PROMPT', '  chat gpt-4o-mini LLM', '  StrOutputParser CHAIN'];
const indent = (lines: string[]) => lines.map((l) => `  ${l}`);

describe('LangChain e2e: an LCEL chain (prompt | ChatOpenAI | StringOutputParser), no code of ours in the app', function () {
  const suite = useLangChainSuite();
  const { tracing } = suite;
  const inputs = { persona: 'a geography teacher', question: 'Capital of France?' };

  /** The prompt, model and parser spans of one sequence, each checked to be its child. */
  function stepsOf(spans: ReadableSpan[], sequence: ReadableSpan) {
    const [prompt, llm, parser] = childrenOf(spans, sequence);
    for (const step of [prompt, llm, parser]) expectChildOf(step, sequence);
    return { prompt, llm, parser };
  }

  it('invoke: one tree under the app span, the template on the PROMPT span, ONE LLM span with the response model and exact usage', async () => {
    suite.server.reply({ json: answer('Paris', { prompt: 21, completion: 5 }) });
    const result = await tracing.inParent('app', () => suite.qaChain().invoke(inputs));
    expect(result).to.equal('Paris');

    const spans = await tracing.spans();
    const app = expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', ...indent(SEQUENCE_TREE)]);
    const sequence = only(spans, 'RunnableSequence');
    expectChildOf(sequence, app);
    expect(ofKind(spans, 'LLM')).to.have.length(suite.server.requests.length).and.length(1);
    for (const span of spans) expectOk(span);

    expect(JSON.parse(sequence.attributes['input.value'] as string)).to.deep.equal(inputs);
    expect(sequence.attributes['output.value']).to.equal('Paris');

    const { prompt, llm, parser } = stepsOf(spans, sequence);
    expect(kindOf(prompt)).to.equal('PROMPT');
    expect(prompt.attributes['llm.prompt_template.template']).to.equal(`system: ${SYSTEM_TEMPLATE}\nuser: ${HUMAN_TEMPLATE}`);
    expect(JSON.parse(prompt.attributes['llm.prompt_template.variables'] as string)).to.deep.equal(inputs);

    const a = llm.attributes;
    expect(a['openinference.span.kind']).to.equal('LLM');
    expect(a['llm.model_name']).to.equal(RESPONSE_MODEL);
    expect([a['llm.token_count.prompt'], a['llm.token_count.completion'], a['llm.token_count.total']]).to.deep.equal([21, 5, 26]);
    expect(attributesUnder(llm, 'llm.input_messages.')).to.deep.equal({
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'You are a geography teacher. Answer in one word.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Capital of France?',
    });
    expect(a['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.0.message.content']).to.equal('Paris');
    expect(parser.attributes['output.value']).to.equal('Paris');
  });

  it('stream, read to the end: the chain\'s output is the whole streamed text, the LLM span has the usage chunk\'s counts', async () => {
    suite.server.reply({ sse: answerStream(['Par', 'is', '.'], { prompt: 21, completion: 6 }) });
    const pieces: string[] = [];
    await tracing.inParent('app', async () => {
      for await (const piece of await suite.qaChain().stream(inputs)) pieces.push(piece);
    });
    expect(pieces.join('')).to.equal('Paris.');

    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', ...indent(SEQUENCE_TREE)]);
    expect(suite.server.requests).to.have.length(1);
    expect(suite.server.requests[0].body.stream_options).to.deep.equal({ include_usage: true });
    const sequence = only(spans, 'RunnableSequence');
    expect(sequence.attributes['output.value']).to.equal('Paris.');
    expect(JSON.parse(sequence.attributes['input.value'] as string)).to.deep.equal(inputs);
    const { llm } = stepsOf(spans, sequence);
    expect(llm.attributes['llm.model_name']).to.equal(RESPONSE_MODEL);
    expect(llm.attributes['llm.output_messages.0.message.content']).to.equal('Paris.');
    expect([llm.attributes['llm.token_count.prompt'], llm.attributes['llm.token_count.completion'], llm.attributes['llm.token_count.total']]).to.deep.equal([21, 6, 27]);
    for (const span of spans) expectOk(span);
  });

  it('stream broken off after the first piece: every span has ended when the loop exits, none ERROR', async () => {
    suite.server.reply({ sse: answerStream(['Par', 'is', '.']) });
    await tracing.inParent('app', async () => {
      for await (const piece of await suite.qaChain().stream(inputs)) if (piece) break;
    });
    const spans = await tracing.spans();
    expectOneTree(spans);
    // The parser never ran to its end, so only what had started is there; each span ended.
    expect(outline(spans).slice(0, 4)).to.deep.equal(['app -', ...indent(SEQUENCE_TREE).slice(0, 3)]);
    expect(ofKind(spans, 'LLM')).to.have.length(1);
    expect(spans.filter((s) => s.status.code === 2).map((s) => s.name)).to.deep.equal([]);
  });

  it('the app\'s tags and metadata (session_id, user_id) are on every span of the run, the root included', async () => {
    suite.server.reply({ json: answer('Paris') });
    await suite.qaChain().invoke(inputs, { tags: ['checkout'], metadata: { session_id: 's-1', user_id: 'u-1', tenant: 'acme' } });
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(SEQUENCE_TREE);
    const missing = (check: (s: ReadableSpan) => boolean) => spans.filter((s) => !check(s)).map((s) => s.name);
    expect(missing((s) => s.attributes['session.id'] === 's-1'), 'spans without session.id').to.deep.equal([]);
    expect(missing((s) => s.attributes['user.id'] === 'u-1'), 'spans without user.id').to.deep.equal([]);
    expect(missing((s) => JSON.stringify(s.attributes['tag.tags']) === '["checkout"]'), 'spans without tag.tags').to.deep.equal([]);
    expect(missing((s) => String(s.attributes.metadata).includes('"tenant":"acme"')), 'spans without the metadata').to.deep.equal([]);
  });

  it('batch of 3: three trees under the app span, each LLM span under its own sequence with its own answer', async () => {
    suite.server.handle((request) => ({ json: answer(`A: ${question(request)}`, { prompt: 20, completion: 3 }) }));
    const questions = ['Capital of France?', 'Capital of Spain?', 'Capital of Italy?'];
    const results = await tracing.inParent('app', () => suite.qaChain().batch(questions.map((q) => ({ persona: 'a teacher', question: q }))));
    expect(results).to.deep.equal(questions.map((q) => `A: ${q}`));

    const spans = await tracing.spans();
    const app = expectOneTree(spans);
    const sequences = childrenOf(spans, app);
    expect(sequences.map((s) => outline(spans, s))).to.deep.equal([SEQUENCE_TREE, SEQUENCE_TREE, SEQUENCE_TREE]);
    expect(ofKind(spans, 'LLM')).to.have.length(suite.server.requests.length).and.length(3);
    const pairs = sequences.map((sequence) => {
      const { llm } = stepsOf(spans, sequence);
      return [JSON.parse(sequence.attributes['input.value'] as string).question, llm.attributes['llm.input_messages.1.message.content'], llm.attributes['llm.output_messages.0.message.content'], sequence.attributes['output.value']];
    });
    expect(pairs.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).to.deep.equal(
      [...questions].sort().map((q) => [q, q, `A: ${q}`, `A: ${q}`]),
    );
  });

  it('without an app span, the sequence is the root and nothing is an orphan', async () => {
    suite.server.reply({ json: answer('Paris') });
    await suite.qaChain().invoke(inputs);
    const endedAtReturn = tracing.exporter.getFinishedSpans().length;
    const spans = await tracing.spans();
    expect(endedAtReturn, 'spans ended when invoke() resolved').to.equal(spans.length);
    expect(expectOneTree(spans).name).to.equal('RunnableSequence');
    expect(outline(spans)).to.deep.equal(SEQUENCE_TREE);
  });
});
