import { loadMistralV1 } from './load';
import { describeMistral } from './suite';

describeMistral(loadMistralV1);
