import type { Resource } from '../compat/sdk-types';

/**
 * The resource's `service.name`, read from the raw attributes so that a resource still detecting
 * (NodeSDK's async detectors) is not forced. The SDK's `unknown_service:…` placeholder does not count.
 */
export function resourceServiceName(r: Resource | undefined): string | undefined {
  if (!r) return undefined;
  let value: unknown;
  if (typeof r.getRawAttributes === 'function') {
    const raw = r.getRawAttributes();
    if (Array.isArray(raw)) {
      const entry = raw.find((e) => Array.isArray(e) && e[0] === 'service.name' && typeof e[1] === 'string');
      value = entry?.[1];
    }
  } else {
    value = r.attributes?.['service.name'];
  }
  return typeof value === 'string' && value !== '' && !value.startsWith('unknown_service') ? value : undefined;
}
