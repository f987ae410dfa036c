import type { AiSdkConversion, ForeignSpan } from './ai-sdk-mapper';
import type * as ClaudeCodeMapper from './claude-code-mapper';
import type * as MastraMapper from './mastra-mapper';

/** A pure mapping of one library's spans into OpenInference; `undefined` for a span it does not know. */
export type ForeignConversion = (span: ForeignSpan) => AiSdkConversion | undefined;

/** One library's conversion, loaded when a span of that library is first seen. */
interface LibraryConversion {
  /** Whether the span is the library's (cheap: every span without a kind is offered). */
  readonly knows: (span: ForeignSpan) => boolean;
  readonly load: () => ForeignConversion;
  loaded?: ForeignConversion;
}

/**
 * The agent frameworks whose own spans the processor turns into OpenInference kinds (each mapper knows one
 * library's span names and keys, nothing else does). A mapper loads at its library's first span, never at
 * start-up: Mastra's reads model messages with the providers' readers (OpenAI's, Anthropic's, Gemini's), which
 * an app without Mastra would load for nothing.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const CONVERSIONS: readonly LibraryConversion[] = [
  {
    knows: (span) => span.instrumentationScope?.name === '@mastra/otel-bridge',
    load: () => (require('./mastra-mapper') as typeof MastraMapper).mastraConversion,
  },
  {
    knows: (span) => typeof span.name === 'string' && span.name.startsWith('claude_code.'),
    load: () => (require('./claude-code-mapper') as typeof ClaudeCodeMapper).claudeCodeConversion,
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */

export function foreignRunConversion(span: ForeignSpan): AiSdkConversion | undefined {
  for (const library of CONVERSIONS) {
    if (!library.knows(span)) continue;
    const conversion = (library.loaded ??= library.load())(span);
    if (conversion) return conversion;
  }
  return undefined;
}
