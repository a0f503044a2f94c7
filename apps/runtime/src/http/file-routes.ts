import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpProblem, parseRequest } from './http-problem.js';
import type { RouteContext } from './route-context.js';

const fileParamsSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a file id') });

/** Types a browser may show inline; anything else is served as a download. */
const inlineTypes =
  /^(image\/(png|jpeg|gif|webp|avif)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf|text\/plain)$/;

/** A file name without paths, control characters or surprises; `file` when nothing is left. */
function cleanFileName(raw: string | undefined): string {
  let name = raw ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not URI-encoded: take it as it is.
  }
  const cleaned = [...(name.split(/[\\/]/).pop() ?? '')]
    .filter((character) => {
      const code = character.codePointAt(0) ?? 0;
      return code >= 0x20 && code !== 0x7f;
    })
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'file' : cleaned;
}

/**
 * `POST /v1/files` takes a file as the raw body (its `content-type`, the name in `x-file-name`)
 * and answers the attachment to send with a message; `GET /v1/files/{id}/{name}` serves it. The
 * URL is the only key (random 128 bits): support systems download it and browsers show it
 * without a token. Served sandboxed, never as a page of this origin.
 */
export function registerFileRoutes(app: FastifyInstance, context: RouteContext) {
  const maxBytes = context.config.files.maxBytes;
  const baseUrl = (request: FastifyRequest) =>
    context.config.server.publicUrl ?? `${request.protocol}://${request.host}`;

  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) =>
      done(null, body),
    );
    scoped.post('/v1/files', async (request, reply) => {
      context.auth.authenticate(request.headers.authorization);
      const body = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (body === undefined || body.byteLength === 0) {
        throw new HttpProblem(
          400,
          'invalid_request',
          'body: send the file as the request body, with its content-type',
        );
      }
      const header = request.headers['x-file-name'];
      const name = cleanFileName(Array.isArray(header) ? header[0] : header);
      const declared = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const contentType = /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(declared)
        ? declared
        : 'application/octet-stream';
      const stored = await context.stores.files.put({
        contentType,
        name,
        bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      });
      return reply.status(201).send({
        url: `${baseUrl(request)}/v1/files/${stored.id}/${encodeURIComponent(stored.name)}`,
        contentType: stored.contentType,
        name: stored.name,
        size: stored.size,
      });
    });
  });

  app.get('/v1/files/:id/:name', async (request, reply) => {
    const { id } = parseRequest(fileParamsSchema, { id: (request.params as { id: string }).id }, 'path');
    const file = await context.stores.files.get(id);
    if (file === undefined) throw new HttpProblem(404, 'not_found', 'no such file (files are kept 30 days)');
    const inline = inlineTypes.test(file.contentType);
    return reply
      .header('content-type', file.contentType)
      .header('content-length', String(file.size))
      .header(
        'content-disposition',
        `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      )
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, max-age=86400, immutable')
      .send(Buffer.from(file.bytes));
  });
}
