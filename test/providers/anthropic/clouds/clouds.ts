import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { SseEvent } from '../../../helpers/fake-llm-server';
import type { Pacing } from '../../../helpers/paced-stream';
import { ProviderSuite, useProviderSuite } from '../../../helpers/provider-suite';
import { createTracing, llmSpans, TestTracing } from '../../../helpers/tracing';
import { bedrockClient, bedrockEvents, FakeClouds, startFakeClouds, vertexClient } from './fake-clouds';
import { BEDROCK_MODEL, bedrockMessage, VERTEX_MODEL, vertexMessage } from './fixtures';

/**
 * What the tests of both clouds need to know of each: its SDK and client, the model names, how its fake
 * answers (Vertex: JSON and SSE; Bedrock: JSON and the AWS event stream), and its provider name.
 */
export interface Cloud {
  readonly name: 'vertex' | 'bedrock';
  readonly provider: 'google' | 'aws';
  readonly requestModel: string;
  /** The SDK's own span's scope (a child of ours). */
  readonly sdkScope: string;
  load(): any;
  client(Sdk: any, server: FakeClouds, tracing: TestTracing): any;
  message(overrides?: Record<string, unknown>): Record<string, unknown>;
  answerStream(server: FakeClouds, events: SseEvent[], pacing?: Pacing): void;
  /** The path the request went to: the cloud's own, not `/v1/messages`. */
  readonly pathPattern: RegExp;
}

export const CLOUDS: readonly Cloud[] = [
  {
    name: 'vertex',
    provider: 'google',
    requestModel: VERTEX_MODEL,
    sdkScope: 'com.anthropic.sdk.typescript.vertex',
    load: () => require('@anthropic-ai/vertex-sdk').AnthropicVertex,
    client: vertexClient,
    message: vertexMessage,
    answerStream: (server, events, pacing = {}) => server.reply({ sse: events, ...pacing }),
    pathPattern: /^\/v1\/projects\/test-project\/locations\/us-east5\/publishers\/anthropic\/models\/claude-sonnet-4-5@20250929:(stream)?[rR]awPredict$/,
  },
  {
    name: 'bedrock',
    provider: 'aws',
    requestModel: BEDROCK_MODEL,
    sdkScope: 'com.anthropic.sdk.typescript.bedrock',
    load: () => require('@anthropic-ai/bedrock-sdk').AnthropicBedrock,
    client: bedrockClient,
    message: bedrockMessage,
    answerStream: (server, events, pacing = {}) => server.eventStream({ events: bedrockEvents(events), ...pacing }),
    pathPattern: /^\/model\/us\.anthropic\.claude-sonnet-4-5-20250929-v1:0\/invoke(-with-response-stream)?$/,
  },
];

export type CloudSuite = ProviderSuite<{ Sdk: any; server: FakeClouds; client: any }>;

/** The usual provider suite for one cloud: its SDK loaded after the instrumentation, a fake, a client on it. */
export function useCloudSuite(cloud: Cloud, tracing: TestTracing = createTracing()): CloudSuite {
  return useProviderSuite(
    async () => {
      const Sdk = cloud.load();
      const server = await startFakeClouds();
      return { Sdk, server, client: cloud.client(Sdk, server, tracing) };
    },
    { tracing, resetConfig: true, setUpTimeoutMs: 60_000 },
  );
}

/** The one LLM span, ended as ERROR with the error the app got (of class `className`), its message the status's. */
export async function onlyErrorSpan(tracing: TestTracing, caught: unknown, className: string): Promise<ReadableSpan> {
  expect((caught as Error).constructor.name).to.equal(className);
  const [span, ...others] = llmSpans(await tracing.spans());
  expect(others).to.have.length(0);
  expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: (caught as Error).message });
  expect(span.attributes['error.type']).to.equal(className);
  return span;
}

export function sdkSpansOf(cloud: Cloud, spans: ReadableSpan[]): ReadableSpan[] {
  return spans.filter((s) => s.instrumentationScope.name === cloud.sdkScope);
}
