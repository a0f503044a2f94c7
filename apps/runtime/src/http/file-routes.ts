import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { defaultChatbotId } from '../chatbots/chatbot-settings.js';
import type { ServedChatbots } from '../chatbots/served-chatbots.js';
import { botParamsSchema } from './admin-bot-schemas.js';
import { fileParamsSchema } from './api-schemas.js';
import { bearerTokenOf } from './bearer-auth.js';
import { HttpProblem, parseRequest } from './http-problem.js';
import type { RouteContext } from './route-context.js';
import { unsafeTextReason } from './safe-text.js';
import { headerValueAsUtf8, invalidUtf8Message, percentDecodeStrictly } from './strict-utf8.js';

/** The header that names an uploaded file: UTF-8, percent-encoded or raw. */
export const fileNameHeader = 'x-file-name';
/** Longest file name, as attachments carry it. */
export const maxFileNameLength = 255;

/** Types a browser may show inline; anything else is served as a download. */
const inlineTypes =
  /^(image\/(png|jpeg|gif|webp|avif)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf|text\/plain)$/;

const refuseName = (message: string) =>
  new HttpProblem(400, 'invalid_request', `${fileNameHeader}: ${message}`, [
    { path: fileNameHeader, message },
  ]);

/**
 * The name of an uploaded file under the text rule: bytes (raw or %-escaped) that are not UTF-8
 * and a NUL are refused; the folders before it and other control characters are dropped; a name
 * longer than attachments take is refused, and a name with nothing left is `file`.
 */
function fileNameOf(raw: string | undefined): string {
  const sent = headerValueAsUtf8(raw ?? '');
  const name = sent === undefined ? undefined : percentDecodeStrictly(sent);
  if (name === undefined) throw refuseName(`${invalidUtf8Message}; send the name percent-encoded`);
  const unsafe = unsafeTextReason(name);
  if (unsafe !== undefined) throw refuseName(unsafe);
  const cleaned = [...(name.split(/[\\/]/).pop() ?? '')]
    .filter((character) => {
      const code = character.codePointAt(0) ?? 0;
      return code >= 0x20 && code !== 0x7f;
    })
    .join('')
    .trim();
  if (cleaned.length > maxFileNameLength) throw refuseName(`must be at most ${maxFileNameLength} characters`);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'file' : cleaned;
}

/**
 * `POST /v1/files` takes a file as the raw body (its `content-type`, the name in `x-file-name`)
 * and answers the attachment to send with a message; `GET /v1/files/{id}/{name}` serves it. The
 * URL is the only key (random 128 bits): support systems download it and browsers show it
 * without a token. Served sandboxed, never as a page of this origin.
 */
export function registerFileRoutes(
  app: FastifyInstance,
  context: RouteContext & { chatbots: ServedChatbots },
) {
  const maxBytes = context.config.files.maxBytes;
  const baseUrl = (request: FastifyRequest) =>
    context.config.server.publicUrl ?? `${request.protocol}://${request.host}`;

  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) =>
      done(null, body),
    );
    const upload = async (request: FastifyRequest, reply: FastifyReply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (body === undefined || body.byteLength === 0) {
        throw new HttpProblem(
          400,
          'invalid_request',
          'body: send the file as the request body, with its content-type',
        );
      }
      const header = request.headers[fileNameHeader];
      const name = fileNameOf(Array.isArray(header) ? header[0] : header);
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
    };
    // Files belong to no channel: a token of any channel may upload.
    scoped.post('/v1/files', async (request, reply) => {
      context.auth.authenticate(request.headers.authorization, undefined, { anyChannel: true });
      return upload(request, reply);
    });
    scoped.post('/v1/bots/:bot/files', async (request, reply) => {
      const { bot } = parseRequest(botParamsSchema, request.params, 'path');
      if (bot === defaultChatbotId) {
        context.auth.authenticate(request.headers.authorization, undefined, { anyChannel: true });
      } else {
        bearerTokenOf(request.headers.authorization);
        (await context.chatbots.get(bot)).authenticateAnyChannel(request.headers.authorization);
      }
      return upload(request, reply);
    });
  });

  app.get('/v1/files/:id/:name', async (request, reply) => {
    const { id } = parseRequest(fileParamsSchema, request.params, 'path');
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
