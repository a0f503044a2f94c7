import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SupportError } from '@handoff/core';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from './http-client.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('http client', () => {
  it('sends JSON with the base URL, query and headers, and returns any status', async () => {
    const seen: Array<{ url?: string; type?: string; token?: string; body: string }> = [];
    const baseUrl = await serve((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        seen.push({
          url: request.url,
          type: request.headers['content-type'],
          token: request.headers.api_access_token as string,
          body,
        });
        response.writeHead(422, { 'content-type': 'application/json' });
        response.end('{"error":"nope"}');
      });
    });
    const client = createHttpClient({ provider: 'acme', baseUrl: `${baseUrl}/`, timeoutMs: 1_000 });
    const response = await client.send({
      operation: 'create',
      method: 'POST',
      path: '/api/things',
      query: { page: 2, skip: undefined },
      json: { name: 'x' },
      headers: { api_access_token: 'secret' },
    });
    expect(response).toMatchObject({ status: 422, text: '{"error":"nope"}' });
    expect(seen).toEqual([
      { url: '/api/things?page=2', type: 'application/json', token: 'secret', body: '{"name":"x"}' },
    ]);
  });

  it('uses the dispatcher it is given for every request', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('https://vendor.example').intercept({ path: '/ping', method: 'GET' }).reply(200, 'pong');
    const client = createHttpClient({
      provider: 'acme',
      baseUrl: 'https://vendor.example',
      dispatcher: agent,
      timeoutMs: 1_000,
    });
    expect(await client.send({ operation: 'ping', method: 'GET', path: '/ping' })).toMatchObject({
      status: 200,
      text: 'pong',
    });
    await agent.close();
  });

  it('turns a connection reset into a retryable network error', async () => {
    const baseUrl = await serve((request) => request.socket.destroy());
    const client = createHttpClient({ provider: 'acme', baseUrl, timeoutMs: 1_000 });
    const error = await client
      .send({ operation: 'reset', method: 'GET', path: '/' })
      .catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && [error.code, error.retryable]).toEqual(['network', true]);
  });

  it('times out a server that never answers', async () => {
    const baseUrl = await serve(() => undefined);
    const client = createHttpClient({ provider: 'acme', baseUrl, timeoutMs: 100 });
    const error = await client
      .send({ operation: 'slow', method: 'GET', path: '/' })
      .catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && error.code).toBe('timeout');
  });

  it('refuses a body larger than the limit', async () => {
    const baseUrl = await serve((_request, response) => response.end('x'.repeat(2_000)));
    const client = createHttpClient({ provider: 'acme', baseUrl, timeoutMs: 1_000, maxResponseBytes: 1_000 });
    const error = await client
      .send({ operation: 'big', method: 'GET', path: '/' })
      .catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && [error.code, error.message]).toEqual([
      'invalid_response',
      'acme big answered something unusable: the response is larger than 1000 bytes',
    ]);
  });
});
