import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { SPAN_TEXT_BUDGET_FACTOR, truncateText } from '../config/text-cap';
import { isCredentialKey } from '../masking/content-keys';
import { maskAttribute } from '../masking/mask';
import type { TraceConfig } from '../masking/trace-config';

/** The span's text budget (lib/config/text-cap.ts). What is written first gets it first (see render.ts for the order). */
export { SPAN_TEXT_BUDGET_FACTOR };

/** A value past the budget still gets room for the truncation marker, so that what is missing shows. */
const MARKER_ROOM = 40;

/** An embedding vector element costs about as much on the wire as this many characters of text. */
const VECTOR_ELEMENT_COST = 4;

/** Where a sink can write straight to: the span of one of our own calls (`Span.setAttribute`). */
export interface AttributeTarget {
  setAttribute(key: string, value: AttributeValue): unknown;
}

/**
 * Collects attributes in the order they are put (the order `span.setAttributes` then adds them, which is
 * what decides what survives the SDK's attribute count limit), masking each one on the way in and
 * charging its text against the span's text budget.
 *
 * With a `target`, each attribute goes straight onto it, in the same order, and `attributes` stays empty:
 * an LLM call's span then never gets a second map of ours to copy from (about 1.7 KB and a few µs per
 * call, docs/performance.md). `replace` needs the map, so a renderer that may replace passes no target.
 */
export class AttributeSink {
  readonly attributes: Attributes = {};
  private written = 0;
  private textLeft: number;

  constructor(
    readonly config: TraceConfig,
    private readonly target?: AttributeTarget,
  ) {
    this.textLeft = config.maxAttributeLength * SPAN_TEXT_BUDGET_FACTOR;
  }

  /** Attributes written so far. */
  get count(): number {
    return this.written;
  }

  /** Text budget left, in characters. */
  get textBudget(): number {
    return this.textLeft;
  }

  put(key: string, value: AttributeValue | undefined): void {
    if (value === undefined || value === null) return;
    // A number with nothing hidden: the masking and the budget pass it as it is (credentials aside).
    if (typeof value === 'number' && this.config.showsEverything && !isCredentialKey(key)) {
      this.written++;
      if (this.target) this.target.setAttribute(key, value);
      else this.attributes[key] = value;
      return;
    }
    const masked = maskAttribute(this.config, key, value);
    if (masked === undefined) return;
    const charged = this.charge(masked);
    if (charged === undefined) return;
    // The renderer puts each key once (the omitted count goes through `replace`).
    this.written++;
    if (this.target) this.target.setAttribute(key, charged);
    else this.attributes[key] = charged;
  }

  /** Sets a value the sink already holds a slot for, keeping its position; `undefined` removes it. Map only. */
  replace(key: string, value: AttributeValue | undefined): void {
    if (this.target || this.attributes[key] === undefined) return;
    if (value === undefined) {
      delete this.attributes[key];
      this.written--;
    } else {
      this.attributes[key] = value;
    }
  }

  /** True when the masking would hide this key whatever its value: lets callers skip building it. */
  hides(key: string): boolean {
    // With nothing hidden, the masking hides credentials only (mask.ts), unless a text cap shorter than the
    // probe cuts it.
    if (this.config.showsEverything && this.config.maxAttributeLength >= PROBE.length) return isCredentialKey(key);
    return maskAttribute(this.config, key, PROBE) !== PROBE;
  }

  /** The value as the text budget lets it through: strings shortened past it, vectors left out. */
  private charge(value: AttributeValue): AttributeValue | undefined {
    if (typeof value === 'string') {
      const allowed = Math.max(this.textLeft, MARKER_ROOM);
      const text = value.length > allowed ? truncateText(value, allowed) : value;
      this.textLeft -= text.length;
      return text;
    }
    if (!Array.isArray(value)) return value;
    let cost = 0;
    for (const item of value) cost += typeof item === 'string' ? item.length : VECTOR_ELEMENT_COST;
    if (cost > this.textLeft && value.length > 0 && typeof value[0] !== 'string') return undefined;
    this.textLeft -= cost;
    return value;
  }
}

const PROBE = '\u0000probe';
