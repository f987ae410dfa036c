import { expect } from 'chai';
import sinon from 'sinon';
import { diag } from '@opentelemetry/api';
import { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { resolveProviderNames } from '../../lib/providers/types';

describe('provider names and aliases', () => {
  let warn: sinon.SinonStub;
  let error: sinon.SinonStub;
  beforeEach(() => {
    warn = sinon.stub(diag, 'warn');
    error = sinon.stub(diag, 'error');
  });
  afterEach(() => {
    warn.restore();
    error.restore();
  });

  it('accepts the names people say, any case, and each provider once', () => {
    expect(resolveProviderNames(['xai', 'Grok', 'gemini', 'claude', 'google', '@google/genai'], 'test list')).to.deep.equal([
      'openai', 'google', 'anthropic',
    ]);
    expect(resolveProviderNames(['vertexai'], 'test list')).to.deep.equal(['google']);
    expect(warn.called).to.equal(false);
    expect(error.called).to.equal(false);
  });

  it('an unknown name is warned about once, with the known names; the others still apply', () => {
    expect(resolveProviderNames(['openai', 'mistral-typo'], 'list A')).to.deep.equal(['openai']);
    expect(resolveProviderNames(['openai', 'mistral-typo'], 'list A')).to.deep.equal(['openai']);
    expect(warn.args).to.deep.equal([[
      '@infinium/otel: unknown provider "mistral-typo" in list A ignored; known: openai (also xai, grok), anthropic (also claude), google (also gemini), bedrock (also aws), cohere, mistralai (also mistral), groq, ollama, langchain (also langgraph), mcp, openai-agents (also @openai/agents), claude-agent (also claude-agent-sdk, claude-code), huggingface (also hf), replicate, together (also together-ai), llamaindex, pinecone, qdrant, chroma (also chromadb)',
    ]]);
    expect(error.called).to.equal(false);
  });

  it('a list that leaves nothing to trace is an error line, not a quiet warning', () => {
    expect(resolveProviderNames(['gpt4all', 'bard-x'], 'list B')).to.deep.equal([]);
    expect(error.args).to.deep.equal([[
      '@infinium/otel: list B (gpt4all,bard-x) names no known provider, so NO LLM call will be traced; ' +
        'known: openai (also xai, grok), anthropic (also claude), google (also gemini), bedrock (also aws), cohere, mistralai (also mistral), groq, ollama, langchain (also langgraph), mcp, openai-agents (also @openai/agents), claude-agent (also claude-agent-sdk, claude-code), huggingface (also hf), replicate, together (also together-ai), llamaindex, pinecone, qdrant, chroma (also chromadb)',
    ]]);
  });

  it('issue 28\'s clients by their names and package names; the Anthropic cloud SDKs and Vertex AI enable the anthropic and google patches', () => {
    expect(resolveProviderNames(
      ['@anthropic-ai/vertex-sdk', '@anthropic-ai/bedrock-sdk', '@google-cloud/vertexai', 'HF', '@huggingface/inference', 'replicate', 'together-ai',
        'llama-index', '@llamaindex/core', '@pinecone-database/pinecone', 'qdrant', 'chromadb'],
      'test list',
    )).to.deep.equal(['anthropic', 'google', 'huggingface', 'replicate', 'together', 'llamaindex', 'pinecone', 'qdrant', 'chroma']);
    expect(warn.called).to.equal(false);
  });

  it('langchain, and the LangGraph and package names for it, enable the one LangChain patch', () => {
    expect(resolveProviderNames(['LangGraph', '@langchain/core', '@langchain/langgraph', 'langchain'], 'test list')).to.deep.equal(['langchain']);
    expect(warn.called).to.equal(false);
  });

  it('INFINIUM_INSTRUMENTATIONS=langgraph hooks @langchain/core and @langchain/langgraph only; by default they are hooked beside the SDKs', () => {
    const saved = process.env.INFINIUM_INSTRUMENTATIONS;
    process.env.INFINIUM_INSTRUMENTATIONS = 'langgraph';
    try {
      const instrumentation = new InfiniumInstrumentation({ enabled: false });
      expect(instrumentation.enabledProviders).to.deep.equal(['langchain']);
      expect(instrumentation.getModuleDefinitions().map((d) => d.name)).to.deep.equal(['@langchain/core', '@langchain/langgraph']);
      delete process.env.INFINIUM_INSTRUMENTATIONS;
      expect(new InfiniumInstrumentation({ enabled: false }).getModuleDefinitions().map((d) => d.name)).to.include.members(['@langchain/core', '@langchain/langgraph']);
      const named = new InfiniumInstrumentation({ enabled: false, providers: ['openai', 'langchain'] });
      expect(named.getModuleDefinitions().map((d) => d.name)).to.deep.equal(['openai', '@langchain/core', '@langchain/langgraph']);
    } finally {
      if (saved === undefined) delete process.env.INFINIUM_INSTRUMENTATIONS;
      else process.env.INFINIUM_INSTRUMENTATIONS = saved;
    }
  });

  it('INFINIUM_INSTRUMENTATIONS=xai,gemini enables the openai and google patches', () => {
    const saved = process.env.INFINIUM_INSTRUMENTATIONS;
    process.env.INFINIUM_INSTRUMENTATIONS = 'xai,gemini';
    try {
      const instrumentation = new InfiniumInstrumentation({ enabled: false });
      expect(instrumentation.enabledProviders).to.deep.equal(['openai', 'google']);
      expect(instrumentation.getModuleDefinitions().map((d) => d.name)).to.deep.equal([
        'openai', '@google/genai', '@google/generative-ai', '@google-cloud/vertexai',
      ]);
    } finally {
      if (saved === undefined) delete process.env.INFINIUM_INSTRUMENTATIONS;
      else process.env.INFINIUM_INSTRUMENTATIONS = saved;
    }
  });
});
