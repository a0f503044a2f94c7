// Environment: BENCH_USERS (32), BENCH_MESSAGES per user per round (20), BENCH_ROUNDS (3).
//
// Relay speed on Redis, one instance and two: runtimes (each its own process) sharing one
// redis-server, in front of the same fake Chatwoot. Users are spread over the instances (user i
// talks to instance i mod N, as a load balancer with sticky sessions would); Chatwoot's webhooks
// go to the first instance, and every instance's worker delivers. User messages to Chatwoot, and
// agent messages from Chatwoot's webhooks to the channel's callback.
import { request } from 'undici';
import { demoConfig } from '../apps/runtime/dist/index.js';
import { chatwootSettingsFor, startFakeChatwoot } from '../packages/chatwoot/dist/testing/index.js';
import { formatNumber, median, printTable, report } from './lib/bench-kit.mjs';
import { startChildServer } from './lib/child-server.mjs';
import { startBenchRedis } from './lib/redis-server.mjs';
import {
  chatwootArrivals,
  drive,
  measure,
  relaySetup,
  startCallbackReceiver,
  until,
} from './lib/relay-kit.mjs';

const { users, perUser, rounds, load, token, auth, dispatcher, post } = relaySetup();

const fake = await startFakeChatwoot();
fake.setAvailability(8, 'online');
const callbacks = await startCallbackReceiver();
const redis = await startBenchRedis();
const arrivedAtChatwoot = chatwootArrivals(fake);
const arrivedAtChannel = (text) => callbacks.arrivals.get(text);
const api = (path) => `${fake.baseUrl}/api/v1/accounts/${fake.accountId}${path}`;
const agentSays = (conversationId, text) =>
  post(
    api(`/conversations/${conversationId}/messages`),
    { content: text, message_type: 'outgoing' },
    { api_access_token: fake.tokens.agent, 'x-fake-chatwoot-harness': '1' },
  );
const summarise = (samples) => ({
  perSecond: median(samples.map((sample) => sample.perSecond)),
  p50: median(samples.map((sample) => sample.p50)),
  p99: median(samples.map((sample) => sample.p99)),
});

/** Starts `count` instances on one key prefix, hands every user off, and measures both paths. */
async function measureInstances(count) {
  const instances = [];
  try {
    for (let index = 0; index < count; index += 1) {
      instances.push(
        await startChildServer('./runtime-server.mjs', {
          HANDOFF_BENCH_CONFIG: JSON.stringify({
            ...demoConfig,
            server: { host: '127.0.0.1', port: 0 },
            storage: { type: 'redis', url: redis.url, keyPrefix: `bench-${count}` },
            auth: { tokens: [{ name: 'bench', token }], rateLimitPerMinute: 100_000_000 },
            logging: { level: 'silent' },
            support: {
              type: 'chatwoot',
              name: 'chatwoot',
              catchUpIntervalMs: 0,
              chatwoot: chatwootSettingsFor(fake),
            },
            channels: {
              web: { callbackUrl: callbacks.url, callbackSecret: 'bench-callback-secret-0123456789' },
            },
          }),
        }),
      );
    }
    fake.setInbox({ webhookUrl: `${instances[0].url}/v1/support/chatwoot/webhook` });
    const userPath = (user) => `${instances[user % count].url}/v1/channels/web/users/redis-${count}-${user}`;
    const conversationOf = new Map();
    await Promise.all(
      Array.from({ length: users }, async (_, user) => {
        await post(`${userPath(user)}/messages`, { text: 'I want a refund' }, auth);
        await post(`${userPath(user)}/messages`, { text: 'agent' }, auth);
        conversationOf.set(
          user,
          await until(async () => {
            const response = await request(`${userPath(user)}/session`, { dispatcher, headers: auth });
            const session = await response.body.json();
            return fake.conversation(Number(session.conversationId))?.status === 'open'
              ? session.conversationId
              : undefined;
          }, 'the handoffs'),
        );
      }),
    );
    const toChatwoot = [];
    const toChannel = [];
    for (let round = -1; round < rounds; round += 1) {
      const userFigures = await measure(
        await drive(
          load,
          (user, text) => post(`${userPath(user)}/messages`, { text }, auth),
          `${count}i r${round}`,
        ),
        arrivedAtChatwoot,
      );
      const agentFigures = await measure(
        await drive(
          load,
          (user, text) => agentSays(conversationOf.get(user), text),
          `agent ${count}i r${round}`,
        ),
        arrivedAtChannel,
      );
      if (round < 0) continue; // warm-up
      toChatwoot.push(userFigures);
      toChannel.push(agentFigures);
    }
    return { toChatwoot: summarise(toChatwoot), toChannel: summarise(toChannel) };
  } finally {
    for (const instance of instances) await instance.stop();
  }
}

try {
  const one = await measureInstances(1);
  const two = await measureInstances(2);
  console.log(
    `${users} concurrent users, ${perUser} messages each, median of ${rounds} rounds after a warm-up; runtimes on one Redis`,
  );
  const row = (label, figures) => [
    label,
    formatNumber(figures.toChatwoot.perSecond),
    `${formatNumber(figures.toChatwoot.p50, 1)} / ${formatNumber(figures.toChatwoot.p99, 1)}`,
    formatNumber(figures.toChannel.perSecond),
    `${formatNumber(figures.toChannel.p50, 1)} / ${formatNumber(figures.toChannel.p99, 1)}`,
  ];
  printTable(
    ['instances', 'user → Chatwoot msg/s', 'p50 / p99 ms', 'webhook → channel msg/s', 'p50 / p99 ms'],
    [row('1 on Redis', one), row('2 on Redis', two)],
  );
  const scaling = two.toChatwoot.perSecond / one.toChatwoot.perSecond;
  console.log(`two instances relay ${formatNumber(scaling, 2)} × what one does (user → Chatwoot)`);
  console.log(
    '(every process of this run shares the same cores: the fake, Redis, the load and the runtimes)',
  );
  report('relay-redis', { kind: 'absolute', users, perUser, rounds, results: { one, two, scaling } });
} finally {
  await redis.stop();
  await fake.close();
  await callbacks.close();
  await dispatcher.close();
}
