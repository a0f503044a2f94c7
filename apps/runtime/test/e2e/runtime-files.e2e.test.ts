import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInMemoryStores } from '@handoff/core';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/config/demo-config.js';
import { runtimeConfigSchema } from '../../src/config/runtime-config.js';
import { createRuntime } from '../../src/runtime.js';
import { startRuntime, testToken } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const started = await startRuntime({ files: { maxBytes: 1_000 } });
  cleanups.push(started.close);
  const upload = (body: string | Buffer, headers: Record<string, string> = {}) =>
    request(`${started.url}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testToken}`, 'content-type': 'application/pdf', ...headers },
      body,
    });
  return { ...started, upload };
}

describe('uploaded files', () => {
  it('stores a file and serves it at its URL, without a token, as a download unless it is safe to show', async () => {
    const { upload, user, runtime } = await setup();
    const answer = await upload('%PDF-1.7 invoice', {
      'x-file-name': encodeURIComponent('../Invoice März.pdf'),
    });
    expect(answer.statusCode).toBe(201);
    const attachment = (await answer.body.json()) as {
      url: string;
      contentType: string;
      name: string;
      size: number;
    };
    expect(attachment).toMatchObject({ contentType: 'application/pdf', name: 'Invoice März.pdf', size: 16 });
    expect(attachment.url).toMatch(/\/v1\/files\/[A-Za-z0-9_-]{22}\/Invoice%20M%C3%A4rz\.pdf$/);

    const served = await request(attachment.url);
    expect(served.statusCode).toBe(200);
    expect(await served.body.text()).toBe('%PDF-1.7 invoice');
    expect(served.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-security-policy': "sandbox; default-src 'none'",
      'x-content-type-options': 'nosniff',
    });
    expect(served.headers['content-disposition']).toMatch(/^inline;/);

    const page = (await (
      await upload('<script>alert(1)</script>', { 'content-type': 'text/html' })
    ).body.json()) as {
      url: string;
    };
    const html = await request(page.url);
    expect(html.headers['content-disposition']).toMatch(/^attachment;/);
    await html.body.dump();

    // The attachment goes with a message like any other.
    expect((await user('web', 'alice').say('see attached', { attachments: [attachment] })).status).toBe(200);
    expect(runtime.config.files.maxBytes).toBe(1_000);
  });

  it('refuses an empty body, a file over the limit and a call without a token', async () => {
    const { upload, url } = await setup();
    expect((await upload('')).statusCode).toBe(400);
    const large = await upload(Buffer.alloc(1_001));
    expect(large.statusCode).toBe(413);
    await large.body.dump();
    const anonymous = await request(`${url}/v1/files`, { method: 'POST', body: 'x' });
    expect(anonymous.statusCode).toBe(401);
    await anonymous.body.dump();
  });

  it('answers 404 for an unknown file and 400 for a malformed id', async () => {
    const { url } = await setup();
    const unknown = await request(`${url}/v1/files/${'A'.repeat(22)}/x.pdf`);
    expect(unknown.statusCode).toBe(404);
    await unknown.body.dump();
    const malformed = await request(`${url}/v1/files/..%2F..%2Fetc/passwd`);
    expect(malformed.statusCode).toBe(400);
    await malformed.body.dump();
  });
});

describe('try-it pages', () => {
  it('serves the pages with a strict content policy, and nothing outside the built assets', async () => {
    const { url } = await setup();
    const chat = await request(`${url}/chat`);
    expect(chat.statusCode).toBe(200);
    expect(chat.headers['content-security-policy']).toContain("script-src 'self'");
    expect(await chat.body.text()).toContain('<script type="module" src="/web/chat.js">');
    for (const path of ['/web/chat.js', '/web/styles.css']) {
      const asset = await request(`${url}${path}`);
      expect(asset.statusCode, path).toBe(200);
      await asset.body.dump();
    }
    for (const path of ['/web/..%2Fmain.js', '/web/chat.html', '/web/missing.js']) {
      const refused = await request(`${url}${path}`);
      expect(refused.statusCode, path).toBe(404);
      await refused.body.dump();
    }
  });

  it('says how to build the pages when they are not built', async () => {
    const config = runtimeConfigSchema.parse({
      ...demoConfig,
      storage: { type: 'memory' },
      server: { host: '127.0.0.1', port: 0 },
      auth: { tokens: [{ name: 'test', token: testToken }] },
      logging: { level: 'silent' },
    });
    const runtime = await createRuntime({
      config,
      stores: createInMemoryStores(),
      webRoot: mkdtempSync(join(tmpdir(), 'no-web-')),
    });
    cleanups.push(() => runtime.close());
    const url = await runtime.listen();
    const chat = await request(`${url}/chat`);
    expect(chat.statusCode).toBe(503);
    expect(await chat.body.json()).toMatchObject({
      message: 'the try-it pages are not built: run pnpm build',
    });
  });
});
