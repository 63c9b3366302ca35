'use strict';
const { test, describe, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const sdk = require('../infraworker');

function withEnv(vars, fn) {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe('input and context', () => {
  test('PAYLOAD', () => withEnv({ PAYLOAD: '{"a":[1,2]}' }, () => assert.deepEqual(sdk.getInput(), { a: [1, 2] })));

  test('PAYLOAD_FILE', () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iw-')), 'p.json');
    fs.writeFileSync(f, JSON.stringify({ big: 'x'.repeat(1000) }));
    withEnv({ PAYLOAD_FILE: f }, () => assert.equal(sdk.get_input().big.length, 1000));
  });

  test('absent input is null', () => withEnv({}, () => assert.equal(sdk.getInput(), null)));

  test('context', () => withEnv({
    JOB_ID: 'j', FUNCTION_ID: 'f', MEMORY_MB: '256', LLM_MODEL: 'm', OUTPUT_DIR: '/o', AI_ENDPOINT: 'http://ai',
  }, () => assert.deepEqual(sdk.getContext(), {
    jobId: 'j', functionId: 'f', memoryMb: 256, llmModel: 'm', outputDir: '/o', aiEndpoint: 'http://ai',
  })));

  test('returnOutput writes one JSON line to stdout', () => {
    const code = `require(${JSON.stringify(path.join(__dirname, '..', 'infraworker'))}).return_output({ok: true, t: "é\\nx"})`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(r.stdout.split('\n').length, 2);
    assert.deepEqual(JSON.parse(r.stdout), { ok: true, t: 'é\nx' });
  });
});

describe('AI client', () => {
  let server;
  let url;
  let script = [];
  let seen = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        seen.push({ path: req.url, body: JSON.parse(body) });
        const [status, reply] = script.length ? script.shift() : [200, {}];
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => server.close());
  beforeEach(() => { script = []; seen = []; });

  test('503 is retried, then the answer comes back', async () => {
    script = [[503, { error: 'loading' }], [200, { response: 'hi there' }]];
    const c = new sdk.AIClient({ endpoint: url, model: 'llama3', backoffMs: 5 });
    assert.equal(await c.generate('hello', undefined, { temperature: 0.1, system: 'be brief' }), 'hi there');
    assert.equal(seen.length, 2);
    assert.equal(seen[1].path, '/api/generate');
    assert.deepEqual(seen[1].body, {
      model: 'llama3', stream: false, prompt: 'hello', system: 'be brief', options: { temperature: 0.1 },
    });
  });

  test('400 is not retried', async () => {
    script = [[400, { error: 'bad model' }], [200, { response: 'never' }]];
    const c = new sdk.AIClient({ endpoint: url, model: 'llama3', backoffMs: 5 });
    await assert.rejects(c.generate('hello'), (e) => e instanceof sdk.AIError && e.status === 400 && /HTTP 400/.test(e.message));
    assert.equal(seen.length, 1);
  });

  test('gives up after maxRetries', async () => {
    script = Array(5).fill([500, {}]);
    const c = new sdk.AIClient({ endpoint: url, model: 'm', backoffMs: 1 });
    await assert.rejects(c.generate('x'), (e) => e.status === 500);
    assert.equal(seen.length, 4);
  });

  test('chat, with endpoint and model from the environment', async () => {
    script = [[429, {}], [200, { message: { role: 'assistant', content: 'pong' } }]];
    const c = withEnv({ AI_ENDPOINT: url, LLM_MODEL: 'mistral' }, () => new sdk.AIClient({ backoffMs: 5 }));
    assert.equal(await c.chat([{ role: 'user', content: 'ping' }]), 'pong');
    assert.equal(seen[1].path, '/api/chat');
    assert.equal(seen[1].body.model, 'mistral');
  });

  test('connection refused is retried, then rejected', async () => {
    const c = new sdk.AIClient({ endpoint: 'http://127.0.0.1:1', model: 'm', backoffMs: 1, maxRetries: 2 });
    await assert.rejects(c.generate('x'), /after 3 attempts/);
  });

  test('timeout rejects without retry', async () => {
    const slow = http.createServer(() => {});
    await new Promise((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const c = new sdk.AIClient({ endpoint: `http://127.0.0.1:${slow.address().port}`, model: 'm', timeoutMs: 100 });
      await assert.rejects(c.generate('x'), /timed out after 100 ms/);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  test('missing endpoint or model', async () => {
    const [noEndpoint, noModel] = withEnv({}, () => [new sdk.AIClient({ model: 'm' }), new sdk.AIClient({ endpoint: url })]);
    await assert.rejects(noEndpoint.generate('x'), /AI_ENDPOINT/);
    await assert.rejects(noModel.generate('x'), /LLM_MODEL/);
  });
});
