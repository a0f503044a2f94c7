import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './http-problem.js';

/** Where the built pages are: next to the bundle (dist/web), or the build of the sources (tests). */
export function findWebRoot(): string | undefined {
  const candidates = ['./web/', '../../dist/web/', '../dist/web/'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((candidate) => existsSync(join(candidate, 'chat.html')));
}

const pages: Record<string, string> = {
  '/': 'index.html',
  '/chat': 'chat.html',
  '/console': 'console.html',
  '/settings': 'settings.html',
};
const assetPattern = /^[a-z0-9-]+\.(js|css|map)$/i;
const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
};

/** Pages load only their own scripts and styles; images and files may come from anywhere (attachments). */
const pagePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  'img-src * data: blob:',
  'media-src *',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The try-it pages: the chat for end users, the console for agents of the in-process system, and
 * the settings of the admin API's chatbots.
 */
export function registerWebRoutes(app: FastifyInstance, configuredRoot: string | undefined) {
  const webRoot =
    configuredRoot !== undefined && existsSync(join(configuredRoot, 'chat.html'))
      ? configuredRoot
      : undefined;
  const send = async (file: string, reply: import('fastify').FastifyReply) => {
    if (webRoot === undefined) {
      throw new HttpProblem(503, 'unavailable', 'the try-it pages are not built: run pnpm build');
    }
    const extension = file.split('.').pop() ?? '';
    const body = await readFile(join(webRoot, file)).catch(() => undefined);
    if (body === undefined) throw new HttpProblem(404, 'not_found', `no file ${file}`);
    return reply
      .header('content-type', contentTypes[extension] ?? 'application/octet-stream')
      .header('content-security-policy', pagePolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(body);
  };
  for (const [path, file] of Object.entries(pages)) app.get(path, (_request, reply) => send(file, reply));
  app.get('/web/:asset', async (request, reply) => {
    const { asset } = request.params as { asset: string };
    if (!assetPattern.test(asset)) throw new HttpProblem(404, 'not_found', `no file ${asset}`);
    return send(asset, reply);
  });
}
