// Every option in code (docs/configuration.md). Code options win over the environment.
import { InfiniumInstrumentation, InfiniumSpanProcessor } from '@infinium/otel';

const instrumentation = new InfiniumInstrumentation({
  providers: ['openai', 'anthropic'], // INFINIUM_INSTRUMENTATIONS
  captureContent: false, // INFINIUM_CAPTURE_CONTENT
  hideInputImages: true, // OPENINFERENCE_HIDE_INPUT_IMAGES
  base64ImageMaxLength: 16000, // OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH
  maxAttributeLength: 16000, // INFINIUM_MAX_ATTRIBUTE_LENGTH
  maxMessages: 20, // INFINIUM_MAX_MESSAGES
});

const processor = new InfiniumSpanProcessor({
  serviceName: 'support-bot', // INFINIUM_SERVICE_NAME
  maxOpenTraces: 5000, // INFINIUM_MAX_OPEN_TRACES
  captureContent: false,
});

export { instrumentation, processor };
