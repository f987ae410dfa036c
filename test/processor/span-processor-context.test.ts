import { expect } from 'chai';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import * as oiCore from '@arizeai/openinference-core';
import { setMetadata, setSession, setTags, setUser } from '../../lib/helpers/context-attributes';
import { foreignSpan } from './genai-fixtures';
import { byName, setup, trackProcessors } from './span-processor-setup';

/** Session, user, metadata, tags and prompt template from the context: our setters and openinference-core's. */
describe('InfiniumSpanProcessor', () => {
  const track = trackProcessors();

  describe('context attributes', () => {
    it('puts session, user, metadata and tags on every span started in the context, across async boundaries', async () => {
      const { tracing, tracer } = track(setup());
      let ctx = setSession(context.active(), { sessionId: 's-1' });
      ctx = setUser(ctx, { userId: 'u-1' });
      ctx = setMetadata(ctx, { plan: 'pro', n: 2 });
      ctx = setTags(ctx, ['beta', 'eu']);
      await context.with(ctx, async () => {
        await tracer.startActiveSpan('root', async (root) => {
          await new Promise((r) => setTimeout(r, 1));
          foreignSpan(tracer);
          await new Promise<void>((resolve) => setTimeout(() => {
            tracer.startSpan('timer child').end();
            resolve();
          }, 1));
          root.end();
        });
      });
      tracer.startSpan('outside').end();
      const spans = await tracing.spans();
      const expected = { 'session.id': 's-1', 'user.id': 'u-1', metadata: '{"plan":"pro","n":2}', 'tag.tags': ['beta', 'eu'] };
      for (const name of ['root', 'chat gpt-4o', 'timer child']) expect(byName(spans, name).attributes, name).to.deep.include(expected);
      expect(byName(spans, 'timer child').attributes).to.deep.equal(expected);
      expect(byName(spans, 'outside').attributes).not.to.have.property('session.id');
    });

    it("honours @arizeai/openinference-core's setters, and never overwrites a start attribute", async () => {
      const { tracing, tracer } = track(setup());
      let ctx = oiCore.setSession(context.active(), { sessionId: 'oi-s' });
      ctx = oiCore.setUser(ctx, { userId: 'oi-u' });
      ctx = oiCore.setMetadata(ctx, { a: 1 });
      ctx = oiCore.setTags(ctx, ['x']);
      ctx = oiCore.setPromptTemplate(ctx, { template: 'Hi {name}', variables: { name: 'Ann' }, version: 'v2' });
      context.with(ctx, () => {
        tracer.startSpan('child').end();
        tracer.startSpan('preset', { attributes: { 'session.id': 'mine' } }).end();
      });
      const spans = await tracing.spans();
      expect(byName(spans, 'child').attributes).to.deep.include({
        'session.id': 'oi-s',
        'user.id': 'oi-u',
        metadata: '{"a":1}',
        'tag.tags': ['x'],
        'llm.prompt_template.template': 'Hi {name}',
        'llm.prompt_template.variables': '{"name":"Ann"}',
        'llm.prompt_template.version': 'v2',
      });
      expect(byName(spans, 'preset').attributes['session.id']).to.equal('mine');
      // And the other way round: openinference-core reads what our setters stored.
      expect(oiCore.getTags(setTags(ROOT_CONTEXT, ['t']))).to.deep.equal(['t']);
      expect(oiCore.getSession(setSession(ROOT_CONTEXT, { sessionId: 'z' }))).to.deep.equal({ sessionId: 'z' });
    });
  });
});
