import { loadMistralV2 } from './load';
import { describeMistral } from './suite';

describeMistral(loadMistralV2);
