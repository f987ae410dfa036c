import { expect } from 'chai';
import path from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import type OpenAIType from 'openai';
import { useLangChainSuite } from './suite';
import { expectError, expectOneTree, ofKind, only, outline } from './tree';

/** The openai SDK that @langchain/openai nests (openai 7): the classes of the errors ChatOpenAI throws. */
function nestedOpenAI(): typeof OpenAIType {
  const dir = path.dirname(require.resolve('@langchain/openai'));
  return require(require.resolve('openai', { paths: [dir] })).OpenAI;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (err: Error) => err,
  );
}

describe('LangChain e2e: a chain whose model call fails', function () {
  const suite = useLangChainSuite();
  const { tracing } = suite;
  const inputs = { persona: 'a teacher', question: 'Capital of France?' };

  /** The error objects the app's own callbacks saw (handleChainError of the root run). */
  function errorWatcher() {
    const seen: unknown[] = [];
    return { seen, handler: { handleChainError: (err: unknown, _runId: string, parentRunId?: string) => void (parentRunId ? undefined : seen.push(err)) } };
  }

  for (const [status, errorClass] of [
    [500, 'InternalServerError'],
    [400, 'BadRequestError'],
  ] as const) {
    it(`HTTP ${status}: the LLM and sequence spans are ERROR with the exception, the app gets ChatOpenAI's own error object`, async () => {
      suite.server.reply({ status, json: { error: { message: 'The model is down', type: 'server_error' } } });
      const watcher = errorWatcher();
      const err = await tracing.inParent('app', () => rejection(suite.qaChain().invoke(inputs, { callbacks: [watcher.handler] })));
      expect(err).to.be.instanceOf(nestedOpenAI()[errorClass]);
      expect(err.message).to.equal(`${status} The model is down`);
      // Nothing of ours wrapped it: the app's callback and the app's await hold the same object.
      expect(watcher.seen).to.have.length(1);
      expect(watcher.seen[0]).to.equal(err);

      const spans = await tracing.spans();
      expectOneTree(spans);
      expect(outline(spans)).to.deep.equal(['app -', '  RunnableSequence CHAIN', '    ChatPromptTemplate PROMPT', '    chat gpt-4o-mini LLM']);
      expect(ofKind(spans, 'LLM')).to.have.length(suite.server.requests.length).and.length(1);
      const llm = only(spans, 'chat gpt-4o-mini');
      expectError(llm, err.message);
      expect(llm.attributes['error.type']).to.equal(errorClass);
      expectError(only(spans, 'RunnableSequence'), err.message);
      expect(only(spans, 'ChatPromptTemplate').status.code).to.not.equal(SpanStatusCode.ERROR);
      expect(only(spans, 'app').status.code).to.equal(SpanStatusCode.UNSET);
    });
  }

  it('a failing stream: the app\'s for await rejects with the SDK error, the LLM and sequence spans are ERROR and ended', async () => {
    suite.server.reply({ status: 500, json: { error: { message: 'The model is down', type: 'server_error' } } });
    const err = await rejection(
      (async () => {
        for await (const piece of await suite.qaChain().stream(inputs)) void piece;
      })(),
    );
    expect(err).to.be.instanceOf(nestedOpenAI().InternalServerError);
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(ofKind(spans, 'LLM')).to.have.length(1);
    expectError(only(spans, 'chat gpt-4o-mini'), err.message);
    expectError(only(spans, 'RunnableSequence'), err.message);
  });
});
