import type * as AiSdkMapper from './ai-sdk-mapper';
import type * as GenAiMapper from './genai-mapper';
import type * as SdkStreamSpans from '../providers/ai-sdk/sdk-stream-spans';
import type * as EmbedOperations from '../providers/ai-sdk/embed-operations';

export interface AiSpanCode {
  aiSdkSpanStarted: typeof SdkStreamSpans.aiSdkSpanStarted;
  aiSdkSpanEnding: typeof SdkStreamSpans.aiSdkSpanEnding;
  aiSdkConversion: typeof AiSdkMapper.aiSdkConversion;
  embedOperationKind: typeof EmbedOperations.embedOperationKind;
  genAiCallRecord: typeof GenAiMapper.genAiCallRecord;
  genAiOtherAttributes: typeof GenAiMapper.genAiOtherAttributes;
}

let loaded: AiSpanCode | undefined;

/**
 * What the processor reads other libraries' AI spans with: the GenAI and AI SDK mappers, and the AI SDK
 * stream-span watch. Eight modules (the mappers, their message and shape readers), loaded at the first such
 * span: an app whose only AI spans are ours never loads them (issue 27: nothing is loaded for SDKs the app
 * does not use; test/packaging/module-load.test.ts).
 */
export function aiSpanCode(): AiSpanCode {
  return (loaded ??= loadAiSpanCode());
}

/** The code, if an AI span has loaded it: a span it watches (an AI SDK stream) can only exist then. */
export function loadedAiSpanCode(): AiSpanCode | undefined {
  return loaded;
}

/* eslint-disable @typescript-eslint/no-require-imports */
function loadAiSpanCode(): AiSpanCode {
  const streams = require('../providers/ai-sdk/sdk-stream-spans') as typeof SdkStreamSpans;
  const genAi = require('./genai-mapper') as typeof GenAiMapper;
  return {
    aiSdkSpanStarted: streams.aiSdkSpanStarted,
    aiSdkSpanEnding: streams.aiSdkSpanEnding,
    aiSdkConversion: (require('./ai-sdk-mapper') as typeof AiSdkMapper).aiSdkConversion,
    embedOperationKind: (require('../providers/ai-sdk/embed-operations') as typeof EmbedOperations).embedOperationKind,
    genAiCallRecord: genAi.genAiCallRecord,
    genAiOtherAttributes: genAi.genAiOtherAttributes,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */
