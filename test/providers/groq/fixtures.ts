import type { SseEvent } from '../../helpers/fake-llm-server';

/** Shapes recorded from the Groq API (OpenAI-compatible, plus `x_groq` and Groq's timing fields in usage). */
export function groqCompletion(overrides: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-groq-1',
    object: 'chat.completion',
    created: 1764576000,
    model: 'llama-3.3-70b-versatile',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from Groq!' }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      queue_time: 0.0172,
      prompt_tokens: 21,
      prompt_time: 0.0031,
      completion_tokens: 6,
      completion_time: 0.0091,
      total_tokens: 27,
      total_time: 0.0122,
    },
    system_fingerprint: 'fp_3f3b593e33',
    x_groq: { id: 'req_01jz' },
    ...overrides,
  };
}

function chunk(delta: Record<string, unknown>, finish: string | null = null, xGroq: Record<string, unknown> = { id: 'req_01jz' }) {
  return {
    id: 'chatcmpl-groq-2',
    object: 'chat.completion.chunk',
    created: 1764576000,
    model: 'llama-3.3-70b-versatile',
    system_fingerprint: 'fp_3f3b593e33',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    x_groq: xGroq,
  };
}

/** A streamed answer with a tool call; usage only in the last chunk's `x_groq.usage`. */
export function groqStream(): SseEvent[] {
  return [
    { data: chunk({ role: 'assistant', content: '' }) },
    { data: chunk({ content: 'Let me ' }) },
    { data: chunk({ content: 'check.' }) },
    {
      data: chunk({
        tool_calls: [{ index: 0, id: 'call_g1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      }),
    },
    {
      data: chunk({}, 'tool_calls', {
        id: 'req_01jz',
        usage: { queue_time: 0.02, prompt_tokens: 33, prompt_time: 0.004, completion_tokens: 14, completion_time: 0.01, total_tokens: 47, total_time: 0.014 },
      }),
    },
    { data: '[DONE]' },
  ];
}

/** `/openai/v1/embeddings`: OpenAI's shape. */
export function groqEmbeddings() {
  return {
    object: 'list',
    data: [
      { object: 'embedding', embedding: [0.5, -0.25], index: 0 },
      { object: 'embedding', embedding: [0.125, 1], index: 1 },
    ],
    model: 'nomic-embed-text-v1_5',
    usage: { prompt_tokens: 4, total_tokens: 4 },
  };
}

/** `/openai/v1/audio/transcriptions` with `response_format: 'verbose_json'`. */
export function groqTranscription() {
  return {
    task: 'transcribe',
    language: 'English',
    duration: 2.5,
    text: ' The weather in Paris is sunny.',
    segments: [{ id: 0, seek: 0, start: 0, end: 2.5, text: ' The weather in Paris is sunny.', tokens: [50364, 440], temperature: 0, avg_logprob: -0.2, compression_ratio: 0.9, no_speech_prob: 0.01 }],
    x_groq: { id: 'req_01audio' },
  };
}

/** The bytes of the audio the tests upload: no span may carry them. */
export const AUDIO_BYTES = 'RIFF-fake-wave-audio-bytes-0123456789';
