'use strict';
// infraworker SDK for Node.js functions. Standard library only.
//
// The agent hands a function its input in PAYLOAD (or in the file named by
// PAYLOAD_FILE when the input is over 100 KiB) and on stdin; the job's context
// in JOB_ID, FUNCTION_ID, MEMORY_MB, LLM_MODEL, OUTPUT_DIR and AI_ENDPOINT.
// NODE_PATH points at this SDK, so `require('infraworker')` just works.

const fs = require('fs');
const http = require('http');
const https = require('https');

/** The job's input parsed from JSON, or null when there is none. */
function getInput() {
  const file = process.env.PAYLOAD_FILE;
  if (file) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const raw = process.env.PAYLOAD;
  if (raw === undefined || raw.trim() === '') return null;
  return JSON.parse(raw);
}

function intOrNull(v) {
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? null : n;
}

/** What the platform tells the function about its job. */
function getContext() {
  const env = process.env;
  return {
    jobId: env.JOB_ID || null,
    functionId: env.FUNCTION_ID || null,
    memoryMb: intOrNull(env.MEMORY_MB),
    llmModel: env.LLM_MODEL || null,
    outputDir: env.OUTPUT_DIR || null,
    aiEndpoint: env.AI_ENDPOINT || null,
  };
}

/** Writes value as one line of JSON to stdout: the function's result. */
function returnOutput(value) {
  // writeSync: the result must be out even if the function exits right after.
  fs.writeSync(1, JSON.stringify(value) + '\n');
}

class AIError extends Error {
  constructor(message, status, body) {
    super(message);
    this.name = 'AIError';
    this.status = status === undefined ? null : status;
    this.body = body === undefined ? null : body;
  }
}

// Request fields Ollama takes at the top level; other options are model
// parameters and go into "options" (temperature, num_predict, ...).
const TOP_LEVEL = new Set(['system', 'template', 'format', 'keep_alive', 'raw', 'images', 'context', 'suffix', 'tools']);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Client for an Ollama-compatible endpoint. HTTP 429, 5xx and connection
 * failures are retried up to maxRetries times with exponential backoff;
 * other HTTP errors and timeouts reject at once.
 */
class AIClient {
  constructor({ endpoint, model, timeoutMs = 60000, maxRetries = 3, backoffMs = 500 } = {}) {
    this.endpoint = (endpoint || process.env.AI_ENDPOINT || '').replace(/\/+$/, '');
    this.model = model || process.env.LLM_MODEL || null;
    this.timeoutMs = timeoutMs;
    this.maxRetries = maxRetries;
    this.backoffMs = backoffMs;
  }

  /** Resolves to the text the model generates for prompt. */
  async generate(prompt, model, options = {}) {
    const data = await this._post('/api/generate', this._body(model, { prompt }, options));
    return data.response;
  }

  /** Resolves to the assistant's reply to messages ([{role, content}]). */
  async chat(messages, model, options = {}) {
    const data = await this._post('/api/chat', this._body(model, { messages }, options));
    return data.message.content;
  }

  _body(model, fields, options) {
    const m = model || this.model;
    if (!m) throw new AIError('no model given: pass a model or set LLM_MODEL');
    const body = { model: m, stream: false, ...fields };
    const extra = {};
    for (const [k, v] of Object.entries(options || {})) {
      if (TOP_LEVEL.has(k)) body[k] = v;
      else extra[k] = v;
    }
    if (Object.keys(extra).length > 0) body.options = extra;
    return body;
  }

  async _post(path, body) {
    if (!this.endpoint) throw new AIError('AI_ENDPOINT is not set: no AI endpoint is configured for this function');
    const url = this.endpoint + path;
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        res = await request(url, payload, this.timeoutMs);
      } catch (err) {
        if (err.timeout) throw new AIError(`AI endpoint ${url} timed out after ${this.timeoutMs} ms`);
        if (attempt >= this.maxRetries) {
          throw new AIError(`AI endpoint ${url} unreachable after ${attempt + 1} attempts: ${err.message}`);
        }
        await sleep(this.backoffMs * 2 ** attempt);
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        try {
          return JSON.parse(res.body);
        } catch (e) {
          throw new AIError(`AI endpoint ${url} returned invalid JSON: ${e.message}`, res.status, res.body);
        }
      }
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= this.maxRetries) {
        throw new AIError(`AI endpoint ${url} returned HTTP ${res.status}: ${res.body.slice(0, 500)}`, res.status, res.body);
      }
      const ra = Number(res.retryAfter);
      await sleep(res.retryAfter !== undefined && ra >= 0 && ra <= 30 ? ra * 1000 : this.backoffMs * 2 ** attempt);
    }
  }
}

function request(url, payload, timeoutMs) {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode,
        body: Buffer.concat(chunks).toString('utf8'),
        retryAfter: res.headers['retry-after'],
      }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => {
      const err = new Error('timeout');
      err.timeout = true;
      req.destroy(err);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

let defaultClient = null;
// Created on first use so that the environment is read at call time.
const client = () => (defaultClient = defaultClient || new AIClient());

const generate = (prompt, model, options) => client().generate(prompt, model, options);
const chat = (messages, model, options) => client().chat(messages, model, options);

module.exports = {
  getInput,
  getContext,
  returnOutput,
  AIClient,
  AIError,
  generate,
  chat,
  // The Python SDK's names, for code ported between the two.
  get_input: getInput,
  get_context: getContext,
  return_output: returnOutput,
};
