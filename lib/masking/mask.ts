import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { settingsOnly, toolNameOnly } from './content-filters';
import { classifyKey, isCredentialKey } from './content-keys';
import type { TraceConfig } from './trace-config';
import { Category, HideFlag, Reduction, Treatment, TREATMENTS } from './treatments';
import { capAttributeValue, detached } from '../config/text-cap';

/** What a hidden value becomes, as the OpenInference configuration spec says. */
export const REDACTED = '__REDACTED__';

const BASE64_MARKER = ';base64,';

/**
 * The one masking function. The instrumentation applies it to every attribute it renders and the span
 * processor applies it to every attribute of every span, ours or another instrumentation's. What a key
 * becomes is looked up in the one table: its kind (content-keys.ts), and what that kind becomes under this
 * configuration (treatments.ts). Credentials are redacted whatever the configuration.
 * Returns the value to record, or `undefined` when the attribute must not be recorded at all. Whatever is
 * recorded is held to the text cap (`maxAttributeLength`), and a long base64 data URL is truncated.
 */
export function maskAttribute(config: TraceConfig, key: string, value: AttributeValue): AttributeValue | undefined {
  // With nothing hidden (the default, on every attribute we write) only credentials are masked: no lookup.
  const masked = config.showsEverything
    ? isCredentialKey(key) ? REDACTED : truncateDataUrl(value, config.base64ImageMaxLength)
    : applyOutcome(outcomesOf(config)[categoryIndex(key)], value, config.base64ImageMaxLength);
  return masked === undefined ? undefined : capAttributeValue(masked, config.maxAttributeLength);
}

/** Masks a whole attribute map in place; returns it for chaining. */
export function maskAttributes(config: TraceConfig, attributes: Attributes): Attributes {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined) continue;
    const masked = maskAttribute(config, key, value);
    if (masked === undefined) delete attributes[key];
    else if (masked !== value) attributes[key] = masked;
  }
  return attributes;
}

/**
 * A base64 data URL longer than the limit keeps its `data:…;base64,` prefix and the start of its payload,
 * so that backends still see what kind of image it was (OpenInference drops it; we truncate, by design).
 */
export function truncateDataUrl(value: AttributeValue, maxLength: number): AttributeValue {
  if (typeof value !== 'string' || value.length <= maxLength || !value.startsWith('data:')) return value;
  const marker = value.indexOf(BASE64_MARKER);
  if (marker < 0) return value;
  // A copy: a slice would keep the whole image (megabytes) alive until the span is exported.
  return detached(value.slice(0, Math.max(marker + BASE64_MARKER.length, maxLength)));
}

/** What one kind of attribute becomes under one configuration. */
export type Outcome = 'keep' | 'drop' | 'redact' | Reduction;

/** Outcomes by category index (an array: indexed loads stay fast whatever the key). */
type Outcomes = readonly Outcome[];

const CATEGORIES = Object.keys(TREATMENTS) as Category[];
const NOT_CONTENT = CATEGORIES.indexOf('notContent');

/** The treatment of a kind under a configuration: left out, reduced, redacted, or kept (first that applies). */
export function outcomeOf(config: TraceConfig, treatment: Treatment): Outcome {
  const on = (flags: readonly HideFlag[] | undefined) => flags !== undefined && flags.some((flag) => isOn(config, flag));
  if (on(treatment.drop)) return 'drop';
  if (treatment.reduce && on(treatment.reduce.by)) return treatment.reduce.to;
  if (on(treatment.redact)) return 'redact';
  return 'keep';
}

function isOn(config: TraceConfig, flag: HideFlag): boolean {
  if (flag === 'always') return true;
  if (flag === 'captureOff') return !config.captureContent;
  return config[flag];
}

function applyOutcome(outcome: Outcome, value: AttributeValue, base64ImageMaxLength: number): AttributeValue | undefined {
  switch (outcome) {
    case 'keep':
      return truncateDataUrl(value, base64ImageMaxLength);
    case 'drop':
      return undefined;
    case 'redact':
      return REDACTED;
    case 'settings':
      return typeof value === 'string' ? settingsOnly(value) : undefined;
    case 'toolNames':
      return typeof value === 'string' ? toolNameOnly(value) : undefined;
  }
}

/** A configuration is frozen, so its outcomes are worked out once, on first use. */
const outcomeCache = new WeakMap<TraceConfig, Outcomes>();

/** The last configuration's outcomes: a process masks with one or two configurations, so this mostly hits. */
let last: { config: TraceConfig; outcomes: Outcomes } | undefined;

function outcomesOf(config: TraceConfig): Outcomes {
  if (last?.config === config) return last.outcomes;
  let outcomes = outcomeCache.get(config);
  if (!outcomes) {
    outcomes = CATEGORIES.map((category) => outcomeOf(config, TREATMENTS[category]));
    outcomeCache.set(config, outcomes);
  }
  last = { config, outcomes };
  return outcomes;
}

/**
 * Keys repeat from call to call (indexed keys are memoized strings), so each key is classified once.
 * Bounded: a process that sees unbounded distinct keys just classifies the overflow every time.
 */
const categoryCache = new Map<string, number>();
const CATEGORY_CACHE_LIMIT = 4096;

function categoryIndex(key: string): number {
  let index = categoryCache.get(key);
  if (index === undefined) {
    const category = classifyKey(key);
    index = category === undefined ? NOT_CONTENT : CATEGORIES.indexOf(category);
    if (categoryCache.size < CATEGORY_CACHE_LIMIT) categoryCache.set(key, index);
  }
  return index;
}
