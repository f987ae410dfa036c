import { expect } from 'chai';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import { expectWrappedOnceAndRestored, MethodRow } from '../helpers/wrapped-methods';

/**
 * The method tables (lib/providers/patch-table.ts) patch through the instrumentation's `_wrap`/`_unwrap`:
 * every listed method, on the prototype that defines it, is wrapped once; `disable()` gives the SDK's own
 * functions back (identity) and `enable()` wraps them again. One row per method of the providers whose
 * tables grew (Groq, Ollama, cohere-ai v1 and v2), plus one inherited method (cohere's exported subclass).
 */
function tableMethods(): MethodRow[] {
  const { Groq } = require('groq-sdk');
  const { Ollama } = require('ollama');
  const cohere = require('cohere-ai');
  // V2Client is not exported: its prototype, through the client that holds one.
  const v2Proto = Object.getPrototypeOf(new cohere.CohereClientV2({ token: 'sk-test' }).clientV2);
  // ollama's Node class extends the browser build's, which defines the methods.
  const ollamaProto = Object.getPrototypeOf(Ollama.prototype);
  const cohereV1Proto = Object.getPrototypeOf(cohere.CohereClient.prototype);
  return [
    ...['Chat.Completions', 'Embeddings', 'Audio.Transcriptions', 'Audio.Translations', 'Audio.Speech'].map((path) => ({
      name: `groq ${path}.create`,
      proto: path.split('.').reduce((node, step) => node[step], Groq).prototype,
      method: 'create',
    })),
    ...['chat', 'generate', 'embed', 'embeddings'].map((method) => ({ name: `ollama ${method}`, proto: ollamaProto, method })),
    ...['chat', 'chatStream', 'embed', 'rerank'].map((method) => ({ name: `cohere V2Client.${method}`, proto: v2Proto, method })),
    ...['chat', 'chatStream'].map((method) => ({ name: `cohere CohereClient.${method}`, proto: cohereV1Proto, method })),
  ];
}

describe('provider method tables: _wrap/_unwrap semantics', () => {
  before(function () {
    // cohere-ai is ~730 files: its first require, through every require hook of a full test run, is slow.
    this.timeout(60_000);
    useInstrumentation(createTracing());
    tableMethods();
  });

  it('every method is wrapped once; disable() restores the SDK’s functions; enable() wraps them again', () => {
    const { instrumentation } = useInstrumentation(createTracing());
    expectWrappedOnceAndRestored(instrumentation, tableMethods(), () => {
      // The exported subclass inherits the wrapper: nothing of ours on its own prototype.
      expect(Object.prototype.hasOwnProperty.call(require('cohere-ai').CohereClient.prototype, 'chat')).to.equal(false);
    });
  });
});
