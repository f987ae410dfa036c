/**
 * `npm start`: a small support agent that uses the real OpenAI, Anthropic and Gemini SDKs and the Vercel AI
 * SDK against a local fake LLM server (no key, no network), then prints its trace as a tree.
 */
import { sdk, viewer } from './tracing'; // first, so the SDKs below are patched as they load

import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, Type } from '@google/genai';
import { recordPromptFetch, trace } from '@infinium/otel';
import { generateText } from 'ai';
import OpenAI from 'openai';
import { DemoLlmServer } from './fake-llm-server';

async function main(): Promise<void> {
  const server = await new DemoLlmServer().start();
  // OpenAI and Anthropic keep their real hosts (the spans say so) and reach the fake server through `fetch`.
  const openai = new OpenAI({ apiKey: 'demo-key', fetch: server.fetch, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: 'demo-key', fetch: server.fetch, maxRetries: 0 });
  const gemini = new GoogleGenAI({ apiKey: 'demo-key', httpOptions: { baseUrl: server.origin } });
  const aiSdkOpenAI = createOpenAI({ apiKey: 'demo-key', fetch: server.fetch });

  const lookupOrder = trace(
    'lookup_order',
    (orderId: string) => ({ orderId, status: 'shipped', eta: 'tomorrow' }),
    { kind: 'TOOL' },
  );

  const supportAgent = trace(
    'support-agent',
    async (question: string) => {
      recordPromptFetch({ id: 'support-reply', name: 'support', version: 3 });

      // 1. A chat call: what does the customer want?
      const intent = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Classify the request in one word.' },
          { role: 'user', content: question },
        ],
      });
      console.log(`intent: ${intent.choices[0].message.content}`);

      // 2. A tool call: Gemini picks the tool, we run it.
      const plan = await gemini.models.generateContent({
        model: 'gemini-2.5-flash',
        contents: question,
        config: {
          tools: [{
            functionDeclarations: [{
              name: 'lookup_order',
              description: 'Find an order by id',
              parameters: { type: Type.OBJECT, properties: { order_id: { type: Type.STRING } }, required: ['order_id'] },
            }],
          }],
        },
      });
      const call = plan.functionCalls?.[0];
      const order = lookupOrder(String(call?.args?.order_id));
      console.log(`tool ${call?.name}: ${JSON.stringify(order)}`);

      // 3. A streamed call: Claude writes the reply.
      const stream = await anthropic.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 200,
        stream: true,
        messages: [{ role: 'user', content: `Order ${order.orderId} is ${order.status}, eta ${order.eta}. Tell the customer.` }],
      });
      let reply = '';
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') reply += event.delta.text;
      }

      // 4. The Vercel AI SDK (ai 7) tags the reply: traced with no code, from its telemetry channel.
      const tag = await generateText({ model: aiSdkOpenAI.chat('gpt-4o-mini'), prompt: reply, telemetry: { functionId: 'tag-reply' } });
      console.log(`tag: ${tag.text}`);

      // 5. A failing call, caught: the span records the error, the agent carries on.
      try {
        await openai.chat.completions.create({ model: 'gpt-5-preview', messages: [{ role: 'user', content: reply }] });
      } catch (err) {
        console.log(`review step skipped: ${(err as Error).constructor.name}`);
      }
      return reply;
    },
    { kind: 'AGENT' },
  );

  const answer = await supportAgent('Where is my order A-1042?');
  console.log(`answer: ${answer}\n`);
  await sdk.shutdown();
  await server.stop();
  const sent = await viewer?.sentTo();
  if (sent?.uiUrl) for (const id of viewer!.traceIds) console.log(`See it in the viewer: ${sent.uiUrl}/#/trace/${id}`);
  else if (sent) console.log(`Spans sent to ${sent.tracesUrl}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
