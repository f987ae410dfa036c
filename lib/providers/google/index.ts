import type { ProviderInstrumentation } from '../types';

export const googleInstrumentation: ProviderInstrumentation = {
  name: 'google',
  definitions: () => [],
};
