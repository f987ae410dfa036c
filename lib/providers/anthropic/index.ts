import type { ProviderInstrumentation } from '../types';

export const anthropicInstrumentation: ProviderInstrumentation = {
  name: 'anthropic',
  definitions: () => [],
};
