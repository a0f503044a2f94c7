// Environment: BENCH_CHATBOTS (1000), BENCH_SESSIONS_PER_CHATBOT (10), BENCH_RELAY_MESSAGES (1000).
//
// Hosting many chatbots in one runtime, on SQLite and on Redis: 1,000 registry chatbots (the demo
// bot on the in-process system; their users only greet, so nothing is handed off), 10 sessions
// each. Prints the heap per idle chatbot with its engine kept and once dropped (after
// `chatbots.idleAfterMs`), how long a routing change takes to be used (PUT → the next handoff
// routed by it; on Redis, PUT on one instance and messages on another), and channel API messages
// per second to one chatbot against spread over all of them. The runtimes run in this process
// (the heap is measured here), so the load generator shares their CPU.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { createRuntime, demoConfig, runtimeConfigSchema } from '../apps/runtime/dist/index.js';
import { chatwootSettingsFor, startFakeChatwoot } from '../packages/chatwoot/dist/testing/index.js';
import { formatNumber, median, percentile, printTable, report } from './lib/bench-kit.mjs';
import { startBenchRedis } from './lib/redis-server.mjs';

const chatbotCount = Number(process.env.BENCH_CHATBOTS ?? 1_000);
const sessionsPerChatbot = Number(process.env.BENCH_SESSIONS_PER_CHATBOT ?? 10);
const relayMessages = Number(process.env.BENCH_RELAY_MESSAGES ?? 1_000);
const concurrency = 32;
const idleAfterMs = 4_000;
const changeTrials = 5;
const channelToken = 'bench-token-0123456789abcdef';
const adminToken = 'bench-admin-token-0123456789ab';
const admin = { authorization: `Bearer ${adminToken}` };
const dispatcher = new Agent({ connections: 128 });
const ids = Array.from({ length: chatbotCount }, (_, index) => `bot-${String(index).padStart(4, '0')}`);
const tokenOf = (id) => `${id}-web-token-0123456789abc`;
/** Routing sending the demo bot's order questions to `ordersTeam`. */
const routingTo = (ordersTeam) => ({
  defaultTeam: { team: '1', label: 'Support' },
  teams: [{ team: ordersTeam, label: `Team ${ordersTeam}`, skills: ['demo.shop.OrderStatus'] }],
});

if (globalThis.gc === undefined) throw new Error('run with node --expose-gc (pnpm bench does)');
const heap = () => {
  for (let round = 0; round < 4; round += 1) globalThis.gc();
  return process.memoryUsage();
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(method, url, body, headers) {
  const response = await request(url, {
    method,
    dispatcher,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: HTTP ${response.statusCode} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** Runs `task` for each of `count` indices, `concurrency` at a time; resolves with each one's ms. */
async function pooled(count, task) {
  const latencies = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) {
        const started = performance.now();
        await task(index);
        latencies[index] = performance.now() - started;
      }
    }),
  );
  return latencies;
}

/**
 * A runtime hosting the chatbots on `storage`. With `defaultSupport` the configuration file's
 * chatbot (unused here) is on it: the in-process system runs in one instance only.
 */
async function startHosted(storage, defaultSupport) {
  const config = runtimeConfigSchema.parse({
    ...demoConfig,
    ...(defaultSupport === undefined ? {} : { support: defaultSupport }),
    server: { host: '127.0.0.1', port: 0 },
    storage,
    auth: {
      tokens: [{ name: 'bench', token: channelToken }],
      adminTokens: [{ name: 'bench', token: adminToken }],
      rateLimitPerMinute: 100_000_000,
    },
    logging: { level: 'silent' },
    chatbots: { idleAfterMs },
  });
  const runtime = await createRuntime({ config, env: {} });
  const url = await runtime.listen();
  return { runtime, url };
}

const say = (url, bot, user, text) =>
  call(
    'POST',
    `${url}/v1/bots/${bot}/channels/web/users/${user}/messages`,
    { text },
    {
      authorization: `Bearer ${tokenOf(bot)}`,
    },
  );

/** Messages per second and latencies of `count` messages, `concurrency` in flight. */
async function relay(count, send) {
  const started = performance.now();
  const latencies = await pooled(count, send);
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/**
 * Times from sending a routing change of `bot` (on `changeUrl`) until a handoff asked for on
 * `messageUrl` is routed by it: a new user asks about an order and for a human until the session's
 * team is the new one.
 */
async function configChangeTimes(bot, changeUrl, messageUrl) {
  const times = [];
  for (let trial = 0; trial < changeTrials; trial += 1) {
    const team = trial % 2 === 0 ? '2' : '3';
    const started = performance.now();
    await call('PUT', `${changeUrl}/v1/admin/bots/${bot}/routing`, routingTo(team), admin);
    for (let attempt = 0; ; attempt += 1) {
      const user = `change-${trial}-${attempt}`;
      await say(messageUrl, bot, user, 'where is my parcel');
      await say(messageUrl, bot, user, 'human please');
      const session = await call(
        'GET',
        `${messageUrl}/v1/bots/${bot}/channels/web/users/${user}/session`,
        undefined,
        { authorization: `Bearer ${tokenOf(bot)}` },
      );
      if (session.team?.id === team) break;
      if (performance.now() - started > 10_000) throw new Error(`routing change of ${bot} not used in 10 s`);
    }
    times.push(performance.now() - started);
  }
  return { median: median(times), max: Math.max(...times) };
}

async function until(check, what, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The whole scenario on one storage; `second` starts another instance on it (Redis). */
async function scenario(label, storage, second) {
  const fake = second ? await startFakeChatwoot() : undefined;
  const defaultSupport =
    fake === undefined
      ? undefined
      : { type: 'chatwoot', name: 'chatwoot', catchUpIntervalMs: 0, chatwoot: chatwootSettingsFor(fake) };
  const { runtime, url } = await startHosted(storage, defaultSupport);
  const phase = (what) => console.error(`${label}: ${what} (${formatNumber(performance.now() / 1000, 1)} s)`);
  const served = runtime.servedChatbots;
  let other;
  try {
    const before = heap();
    const createStarted = performance.now();
    for (const id of ids)
      await runtime.chatbots.create({
        id,
        name: id,
        channels: { web: { token: tokenOf(id) } },
        routing: routingTo('3'),
      });
    const createMs = performance.now() - createStarted;
    phase('chatbots created');
    // Every chatbot's users greet the bot: each chatbot's engine is built by its first message.
    const sessionsStarted = performance.now();
    await pooled(chatbotCount * sessionsPerChatbot, (index) =>
      say(url, ids[index % chatbotCount], `user-${Math.floor(index / chatbotCount)}`, 'hello'),
    );
    const sessionsMs = performance.now() - sessionsStarted;
    phase('sessions made');
    // Every engine running (used just now), then every one dropped.
    await Promise.all(ids.map((id) => served.get(id)));
    const kept = heap();
    const keptCount = served.runningCount;
    const dropStarted = performance.now();
    await until(() => served.runningCount === 0, 'idle engines to be dropped');
    const dropMs = performance.now() - dropStarted;
    phase('engines dropped');
    const dropped = heap();
    const perChatbot = (after) => ({
      heapBytes: (after.heapUsed - before.heapUsed) / chatbotCount,
      rssBytes: (after.rss - before.rss) / chatbotCount,
    });

    // Relay: the engines are dropped, so the first message to each chatbot builds it (cold).
    const cold = await relay(chatbotCount, (index) => say(url, ids[index], 'user-0', `cold ${index}`));
    const one = await relay(relayMessages, (index) =>
      say(url, ids[0], `relay-${index % concurrency}`, `one ${index}`),
    );
    const spread = await relay(relayMessages, (index) =>
      say(url, ids[index % chatbotCount], `user-${index % sessionsPerChatbot}`, `spread ${index}`),
    );

    phase('relayed');
    let change;
    if (second && fake !== undefined) {
      // Across instances the chatbot needs a system both reach: an in-process one runs in one
      // instance only. Its teams 2 and 3 have someone at work.
      fake.setAvailability(7, 'online');
      fake.setAvailability(8, 'online');
      await runtime.chatbots.create({
        id: 'change-bot',
        name: 'change-bot',
        channels: { web: { token: tokenOf('change-bot') } },
        support: { type: 'chatwoot', chatwoot: chatwootSettingsFor(fake), registerWebhook: false },
        routing: routingTo('3'),
      });
      other = await startHosted(storage, defaultSupport);
      change = await configChangeTimes('change-bot', url, other.url);
    } else change = await configChangeTimes(ids[1], url, url);
    return {
      label,
      createMs,
      sessionsMs,
      keptCount,
      dropMs,
      kept: perChatbot(kept),
      dropped: perChatbot(dropped),
      relay: { one, spread, cold },
      change: { ...change, instances: second ? 2 : 1 },
    };
  } finally {
    await other?.runtime.close();
    await runtime.close();
    await fake?.close();
  }
}

const directory = mkdtempSync(join(tmpdir(), 'handoff-bench-hosted-'));
const redis = await startBenchRedis();
const results = [];
try {
  results.push(await scenario('SQLite', { type: 'sqlite', path: join(directory, 'hosted.db') }, false));
  results.push(await scenario('Redis', { type: 'redis', url: redis.url, keyPrefix: 'bench-hosted' }, true));
} finally {
  await redis.stop();
  rmSync(directory, { recursive: true, force: true });
  await dispatcher.close();
}

const kb = (bytes) => formatNumber(bytes / 1024, 1);
console.log(
  `${formatNumber(chatbotCount)} chatbots × ${sessionsPerChatbot} sessions (idle engines dropped after ${idleAfterMs} ms)`,
);
printTable(
  [
    'storage',
    'heap KB/chatbot kept',
    'heap KB/chatbot dropped',
    'RSS KB/chatbot kept',
    'RSS KB/chatbot dropped',
    'sessions made',
  ],
  results.map((result) => [
    result.label,
    kb(result.kept.heapBytes),
    kb(result.dropped.heapBytes),
    kb(result.kept.rssBytes),
    kb(result.dropped.rssBytes),
    `${formatNumber(chatbotCount * sessionsPerChatbot)} in ${formatNumber(result.sessionsMs / 1000, 1)} s`,
  ]),
);
console.log('');
printTable(
  ['storage', 'routing change used after (median)', 'max', 'instances'],
  results.map((result) => [
    result.label,
    `${formatNumber(result.change.median)} ms`,
    `${formatNumber(result.change.max)} ms`,
    result.change.instances === 2 ? 'PUT on one, messages on the other' : 'one',
  ]),
);
console.log('');
printTable(
  ['storage', 'channel API to', 'msg/s', 'p50 ms', 'p99 ms'],
  results.flatMap((result) => [
    [
      result.label,
      '1 chatbot',
      formatNumber(result.relay.one.perSecond),
      formatNumber(result.relay.one.p50, 1),
      formatNumber(result.relay.one.p99, 1),
    ],
    [
      result.label,
      `${formatNumber(chatbotCount)} chatbots`,
      formatNumber(result.relay.spread.perSecond),
      formatNumber(result.relay.spread.p50, 1),
      formatNumber(result.relay.spread.p99, 1),
    ],
    [
      result.label,
      `${formatNumber(chatbotCount)} chatbots, engines dropped (first message builds)`,
      formatNumber(result.relay.cold.perSecond),
      formatNumber(result.relay.cold.p50, 1),
      formatNumber(result.relay.cold.p99, 1),
    ],
  ]),
);

const targets = results.flatMap((result) => [
  {
    name: `${result.label}: at most 32 KB of heap per idle chatbot once its engine is dropped`,
    met: result.dropped.heapBytes <= 32 * 1024,
    figure: Math.round(result.dropped.heapBytes),
  },
  {
    name: `${result.label}: a routing change is used within 1 s${result.change.instances === 2 ? ' on another instance' : ''}`,
    met: result.change.max < 1_000,
    figure: Math.round(result.change.max),
  },
  {
    name: `${result.label}: messages spread over ${formatNumber(chatbotCount)} chatbots relay at least half as fast as to one`,
    met: result.relay.spread.perSecond >= result.relay.one.perSecond / 2,
    figure: Math.round((100 * result.relay.spread.perSecond) / result.relay.one.perSecond) / 100,
  },
]);
console.log('');
for (const target of targets)
  console.log(`target ${target.met ? 'met    ' : 'NOT met'} ${target.name}: ${target.figure}`);
report('hosted', {
  kind: 'absolute',
  chatbots: chatbotCount,
  sessionsPerChatbot,
  idleAfterMs,
  results: Object.fromEntries(results.map(({ label, ...rest }) => [label.toLowerCase(), rest])),
  targets,
});
