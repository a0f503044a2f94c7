import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

/** Headers about one connection, not the request: never forwarded. */
const hopByHopHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  'content-length',
]);

/** Alternating name, value pairs without the hop-by-hop headers. */
function endToEndHeaders(rawHeaders: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] ?? '';
    if (!hopByHopHeaders.has(name.toLowerCase())) kept.push(name, rawHeaders[index + 1] ?? '');
  }
  return kept;
}

export interface RoundRobinBalancer {
  /** `http://127.0.0.1:<port>`; paths are forwarded as they are. */
  url: string;
  /** Requests each instance answered. */
  answeredBy(): Record<string, number>;
  /** Requests tried on another instance after one gave no answer. */
  failovers(): number;
  /** Requests answered 502 because the instance (or every one) gave no answer: lost for the sender. */
  refusals(): number;
  close(): Promise<void>;
}

/**
 * A load balancer on 127.0.0.1 in front of `instances()` (read per request, so it follows the
 * live ones, as its health checks see them): forwards each request as it came (method, path,
 * headers including signatures, the body's bytes) to the next instance in turn. With `failover`
 * (the default), a connection error or no answer within `answerTimeoutMs` sends it to the one
 * after, 502 only when none answers. Without, as a cloud load balancer does with a POST: a dead
 * instance not yet noticed by the health checks answers 502 and the request is not replayed.
 * Answers are passed back as they are, 5xx included.
 */
export async function startRoundRobinBalancer(
  instances: () => readonly string[],
  options: { answerTimeoutMs?: number; failover?: boolean } = {},
): Promise<RoundRobinBalancer> {
  const answerTimeoutMs = options.answerTimeoutMs ?? 4_000;
  const failover = options.failover ?? true;
  const answered: Record<string, number> = {};
  let failovers = 0;
  let refusals = 0;
  let turn = 0;
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
    } catch {
      return; // The sender went away.
    }
    const body = Buffer.concat(chunks);
    const targets = instances();
    const first = turn;
    turn += 1;
    for (let offset = 0; offset < targets.length; offset += 1) {
      const target = targets[(first + offset) % targets.length] ?? '';
      try {
        const forwarded = await request(`${target}${incoming.url ?? '/'}`, {
          method: incoming.method ?? 'GET',
          headers: endToEndHeaders(incoming.rawHeaders),
          ...(body.length === 0 ? {} : { body }),
          headersTimeout: answerTimeoutMs,
          bodyTimeout: answerTimeoutMs,
        });
        const answer = Buffer.from(await forwarded.body.arrayBuffer());
        answered[target] = (answered[target] ?? 0) + 1;
        const headers = Object.fromEntries(
          Object.entries(forwarded.headers).filter(([name]) => !hopByHopHeaders.has(name.toLowerCase())),
        );
        response.writeHead(forwarded.statusCode, headers).end(answer);
        return;
      } catch {
        if (!failover) break;
        failovers += 1;
      }
    }
    refusals += 1;
    response.writeHead(502, { 'content-type': 'text/plain' }).end('no instance answered');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answeredBy: () => ({ ...answered }),
    failovers: () => failovers,
    refusals: () => refusals,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
