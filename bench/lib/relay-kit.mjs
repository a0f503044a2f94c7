// What the relay benchmarks share: a channel callback receiver, JSON posts, waiting, and the
// load (users in parallel, each user's messages one after the other) with its figures.
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { percentile } from './bench-kit.mjs';
import { benchToken } from './bench-runtime-config.mjs';

/** The channel's callback endpoint: notes when each message text arrived. */
export async function startCallbackReceiver() {
  const arrivals = new Map();
  const server = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk) => {
      body += chunk;
    });
    incoming.on('end', () => {
      const parsed = JSON.parse(body);
      const text = parsed.message?.text ?? parsed.text;
      if (typeof text === 'string' && !arrivals.has(text)) arrivals.set(text, performance.now());
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/callback`,
    arrivals,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** POSTs JSON with `dispatcher`; throws on an answer of 300 or more; resolves with the JSON answer. */
async function postJson(dispatcher, url, body, headers = {}) {
  const response = await request(url, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${url}: HTTP ${response.statusCode} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** Polls `check` until it returns something other than undefined or false. */
export async function until(check, what, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Sends `perUser` messages per user: users in parallel, each user's one after the other. With
 * `answered` (resolves once the support system answered the message with that text), a user's
 * next message waits for that too: the user sees it delivered, whether the call went through the
 * runtime (which answers at once) or the bare proxy (which answers after the support system did).
 */
export async function drive({ users, perUser }, send, label, answered) {
  const sentAt = new Map();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let index = 0; index < perUser; index += 1) {
        const text = `${label} u${user} m${index}`;
        sentAt.set(text, performance.now());
        await Promise.all([send(user, text), answered?.(text)]);
      }
    }),
  );
  return { sentAt, started };
}

/** Throughput and latencies once every message arrived (`arrivedAt`: text → time). */
export async function measure({ sentAt, started }, arrivedAt) {
  const waiting = new Set(sentAt.keys());
  await until(() => {
    for (const text of waiting) if (arrivedAt(text) !== undefined) waiting.delete(text);
    return waiting.size === 0;
  }, `${waiting.size} messages`);
  const latencies = [...sentAt].map(([text, at]) => arrivedAt(text) - at);
  const last = Math.max(...[...sentAt.keys()].map(arrivedAt));
  return {
    perSecond: sentAt.size / ((last - started) / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/** Arrival times of message contents at a fake Chatwoot, read incrementally from its request record. */
export function chatwootArrivals(fake) {
  const arrivals = new Map();
  let scanned = 0;
  return (text) => {
    for (; scanned < fake.requests.length; scanned += 1) {
      const entry = fake.requests[scanned];
      const content = entry.body?.content;
      if (entry.method === 'POST' && typeof content === 'string' && !arrivals.has(content)) {
        arrivals.set(content, entry.timing.receivedMs);
      }
    }
    return arrivals.get(text);
  };
}

/**
 * When the fake Chatwoot answered the POST carrying each message content: `answered(text)`
 * resolves then (the fake's record, looked at every millisecond while someone waits).
 */
export function chatwootAnswers(fake) {
  const waiting = new Map();
  const unanswered = [];
  let scanned = 0;
  let timer;
  const look = () => {
    for (; scanned < fake.requests.length; scanned += 1) {
      const entry = fake.requests[scanned];
      if (entry.method === 'POST' && typeof entry.body?.content === 'string') unanswered.push(entry);
    }
    for (let index = unanswered.length - 1; index >= 0; index -= 1) {
      const entry = unanswered[index];
      if (entry.timing.answeredMs === undefined) continue;
      unanswered.splice(index, 1);
      const resolve = waiting.get(entry.body.content);
      waiting.delete(entry.body.content);
      resolve?.();
    }
    if (waiting.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return (text) =>
    new Promise((resolve) => {
      waiting.set(text, resolve);
      timer ??= setInterval(look, 1);
    });
}

/**
 * The load of a relay benchmark from the environment (BENCH_USERS, BENCH_MESSAGES per user per
 * round, BENCH_ROUNDS), the channel token, and a connection pool with a JSON `post` over it.
 */
export function relaySetup() {
  const users = Number(process.env.BENCH_USERS ?? 32);
  const perUser = Number(process.env.BENCH_MESSAGES ?? 20);
  const dispatcher = new Agent({ connections: 256 });
  return {
    users,
    perUser,
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    load: { users, perUser },
    auth: { authorization: `Bearer ${benchToken}` },
    dispatcher,
    post: (url, body, headers) => postJson(dispatcher, url, body, headers),
  };
}
