import type { AiSdkConversion, ForeignSpan } from './ai-sdk-mapper';
import { claudeCodeConversion } from './claude-code-mapper';
import { mastraConversion } from './mastra-mapper';

/** A pure mapping of one library's spans into OpenInference; `undefined` for a span it does not know. */
export type ForeignConversion = (span: ForeignSpan) => AiSdkConversion | undefined;

/**
 * The agent frameworks whose own spans the processor turns into OpenInference kinds (each mapper knows one
 * library's span names and keys, nothing else does). Tried in order; the first that knows the span wins. Each
 * returns at once for a span that is not its library's (by scope or name), since every foreign span is offered.
 */
const CONVERSIONS: readonly ForeignConversion[] = [mastraConversion, claudeCodeConversion];

export function foreignRunConversion(span: ForeignSpan): AiSdkConversion | undefined {
  for (const convert of CONVERSIONS) {
    const conversion = convert(span);
    if (conversion) return conversion;
  }
  return undefined;
}
