import { expect } from 'chai';
import path from 'node:path';
import { createTracing, useInstrumentation } from '../../../helpers/tracing';
import { expectWrappedOnceAndRestored, MethodRow } from '../../../helpers/wrapped-methods';

/**
 * `disable()` gives back every method this room wraps: `create` and `stream` of both `Messages` classes in
 * each copy of `@anthropic-ai/sdk` (the app's, and the Bedrock SDK's nested one, reached through the files
 * the cloud SDKs load), and together-ai's three `create`s. Each is wrapped once; `enable()` wraps them again.
 */
function methods(): MethodRow[] {
  require('@anthropic-ai/vertex-sdk');
  require('@anthropic-ai/bedrock-sdk');
  const nested = path.dirname(require.resolve('@anthropic-ai/bedrock-sdk'));
  const copies = {
    app: require('@anthropic-ai/sdk/resources/index'),
    bedrock: require(require.resolve('@anthropic-ai/sdk/resources/index', { paths: [nested] })),
  };
  const { Together } = require('together-ai');
  return [
    ...Object.entries(copies).flatMap(([copy, resources]) =>
      [resources.Messages, resources.Beta.Messages].flatMap((cls, i) =>
        ['create', 'stream'].map((method) => ({ name: `${copy} ${i ? 'Beta.' : ''}Messages.${method}`, proto: cls.prototype, method })),
      ),
    ),
    ...[Together.Chat.Completions, Together.Completions, Together.Embeddings].map((cls, i) => ({ name: `together ${i}`, proto: cls.prototype, method: 'create' })),
  ];
}

describe('anthropic clouds and together: _wrap/_unwrap', () => {
  before(function () {
    this.timeout(60_000);
    useInstrumentation(createTracing());
    methods();
  });

  it('two distinct copies of the SDK are patched', () => {
    const rows = methods();
    expect(rows[0].proto).to.not.equal(rows[4].proto);
  });

  it('every method is wrapped once; disable() restores the SDKs’ functions; enable() wraps them again', () => {
    const { instrumentation } = useInstrumentation(createTracing());
    expectWrappedOnceAndRestored(instrumentation, methods());
  });
});
