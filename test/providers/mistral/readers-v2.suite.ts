import { loadMistralV2 } from './load';
import { describeMistralReaders } from './readers';

describeMistralReaders(loadMistralV2);
