import { diag } from '@opentelemetry/api';
import { Env, processEnv, readList } from './env';

/**
 * Which attribute conventions the spans carry besides Infinium's own keys (always written):
 * OpenInference (Phoenix, Arize) and the OpenTelemetry GenAI conventions (Datadog, Grafana, Honeycomb,
 * Elastic, New Relic). The GenAI client metrics do not depend on this choice.
 */
export type Convention = 'openinference' | 'gen_ai';
export const CONVENTIONS: readonly Convention[] = ['openinference', 'gen_ai'];

export interface SemconvOptions {
  /**
   * The conventions to write: a list, or a comma-separated string (`'openinference,gen_ai'`).
   * Default: `INFINIUM_SEMCONV`, else `openinference`; `OTEL_SEMCONV_STABILITY_OPT_IN` containing
   * `gen_ai_latest_experimental` adds `gen_ai` to the environment's choice. The option in code wins.
   */
  semconv?: readonly Convention[] | string;
}

export interface Conventions {
  readonly openInference: boolean;
  readonly genAi: boolean;
}

export const DEFAULT_CONVENTIONS: Conventions = Object.freeze({ openInference: true, genAi: false });

/** The OpenTelemetry way to opt into the latest (experimental) GenAI conventions. */
const OPT_IN_VARIABLE = 'OTEL_SEMCONV_STABILITY_OPT_IN';
const GEN_AI_OPT_IN = 'gen_ai_latest_experimental';

export function resolveConventions(options: SemconvOptions = {}, env: Env = processEnv()): Conventions {
  const fromCode = options.semconv === undefined ? undefined : conventionsOf(listOf(options.semconv), 'the semconv option');
  if (fromCode) return fromCode;
  const chosen = conventionsOf(readList(env, 'INFINIUM_SEMCONV'), 'INFINIUM_SEMCONV') ?? DEFAULT_CONVENTIONS;
  const optIn = readList(env, OPT_IN_VARIABLE)?.includes(GEN_AI_OPT_IN) === true;
  return optIn && !chosen.genAi ? Object.freeze({ ...chosen, genAi: true }) : chosen;
}

function listOf(value: readonly string[] | string): string[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  return items.filter((s): s is string => typeof s === 'string').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
}

/** A list naming no known convention gives `undefined` (the default then applies); unknown names are warned about. */
function conventionsOf(names: string[] | undefined, source: string): Conventions | undefined {
  if (!names) return undefined;
  const known = names.filter((n): n is Convention => (CONVENTIONS as readonly string[]).includes(n));
  for (const name of names) if (!known.includes(name as Convention)) diag.warn(`@infinium/otel: unknown convention ${JSON.stringify(name)} in ${source} ignored`);
  if (known.length === 0) return undefined;
  return Object.freeze({ openInference: known.includes('openinference'), genAi: known.includes('gen_ai') });
}
