import { loadMistralV1 } from './load';
import { describeMistralReaders } from './readers';
import { describeMistral } from './suite';

describeMistral(loadMistralV1);
describeMistralReaders(loadMistralV1);
