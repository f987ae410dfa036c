// A bundled app: no require/import hook sees the SDK, so hand its module to the instrumentation.
import * as openai from 'openai';
import { InfiniumInstrumentation } from '@infinium/otel';

const instrumentation = new InfiniumInstrumentation();
instrumentation.manuallyInstrument(openai);

export const client = new openai.OpenAI();
