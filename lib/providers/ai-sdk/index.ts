/**
 * The Vercel AI SDK. ai 7 publishes every operation on the `ai:telemetry` tracing channel, which
 * `AiSdkChannel` turns into spans (no patching: `ai` is never imported). ai 5 and 6 write their own `ai.*`
 * spans, which the span processor maps (lib/processor/ai-sdk-mapper.ts).
 */
export { AiSdkChannel, AI_SDK_TELEMETRY_CHANNEL } from './channel';
