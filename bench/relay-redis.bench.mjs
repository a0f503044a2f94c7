// Environment: BENCH_REDIS_USERS (128), BENCH_MESSAGES per user per round (20), BENCH_ROUNDS (3),
// BENCH_REDIS_INSTANCES (1,2,3), BENCH_REDIS_LATENCY (50 ms).
//
// Scale-out on Redis: 1, 2 and 3 runtimes (each its own process) sharing one redis-server, in
// front of the same fake Chatwoot, which answers every call after 50 ms. Users are spread over the
// instances (user i talks to instance i mod N, as a load balancer with sticky sessions would);
// Chatwoot's webhooks go to the first instance, and every instance's worker delivers. User
// messages to Chatwoot, and agent messages from Chatwoot's webhooks to the channel's callback.
// Beside the throughput: how busy each instance was (CPU time over wall time), and the whole
// machine (every process of the run, over its cores).
import { cpus } from 'node:os';
import { request } from 'undici';
import { startFakeChatwoot } from '../packages/chatwoot/dist/testing/index.js';
import { formatNumber, median, printTable, report } from './lib/bench-kit.mjs';
import { benchRuntimeConfig } from './lib/bench-runtime-config.mjs';
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

const { perUser, rounds, auth, dispatcher, post } = relaySetup();
const users = Number(process.env.BENCH_REDIS_USERS ?? 128);
const load = { users, perUser };
const instanceCounts = (process.env.BENCH_REDIS_INSTANCES ?? '1,2,3').split(',').map(Number);
const latencyMs = Number(process.env.BENCH_REDIS_LATENCY ?? 50);

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
  instanceBusy: median(samples.map((sample) => sample.instanceBusy)),
  machineBusy: median(samples.map((sample) => sample.machineBusy)),
});

/** Measures `work` with the CPU share of each instance and of the machine while it ran. */
async function busyWhile(instances, work) {
  const before = await Promise.all(instances.map((instance) => instance.probe()));
  const ownBefore = process.cpuUsage();
  const startedAt = performance.now();
  const figures = await work();
  const wallMicros = (performance.now() - startedAt) * 1000;
  const after = await Promise.all(instances.map((instance) => instance.probe()));
  const own = process.cpuUsage(ownBefore);
  const instanceMicros = after.map((probe, index) => probe.cpuMicros - before[index].cpuMicros);
  const total = instanceMicros.reduce((sum, micros) => sum + micros, own.user + own.system);
  return {
    ...figures,
    instanceBusy: Math.max(...instanceMicros) / wallMicros,
    // Redis's own share is not counted: the machine is at least this busy.
    machineBusy: total / wallMicros / cpus().length,
  };
}

/** Starts `count` instances on one key prefix, hands every user off, and measures both paths. */
async function measureInstances(count) {
  const instances = [];
  try {
    for (let index = 0; index < count; index += 1) {
      instances.push(
        await startChildServer('./runtime-server.mjs', {
          HANDOFF_BENCH_CONFIG: JSON.stringify(
            benchRuntimeConfig(fake, {
              storage: { type: 'redis', url: redis.url, keyPrefix: `bench-${count}` },
              channels: {
                web: { callbackUrl: callbacks.url, callbackSecret: 'bench-callback-secret-0123456789' },
              },
            }),
          ),
        }),
      );
    }
    fake.setLatency(0); // the handoffs are not what is measured
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
    await fake.idle();
    fake.setLatency(latencyMs);
    const toChatwoot = [];
    const toChannel = [];
    for (let round = -1; round < rounds; round += 1) {
      const userFigures = await busyWhile(instances, async () =>
        measure(
          await drive(
            load,
            (user, text) => post(`${userPath(user)}/messages`, { text }, auth),
            `${count}i r${round}`,
          ),
          arrivedAtChatwoot,
        ),
      );
      await fake.idle();
      const agentFigures = await busyWhile(instances, async () =>
        measure(
          await drive(
            load,
            (user, text) => agentSays(conversationOf.get(user), text),
            `agent ${count}i r${round}`,
          ),
          arrivedAtChannel,
        ),
      );
      await fake.idle();
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
  const results = {};
  for (const count of instanceCounts) results[count] = await measureInstances(count);
  console.log(
    `${users} concurrent users, ${perUser} messages each, median of ${rounds} rounds after a warm-up; runtimes on one Redis; the fake answers after ${latencyMs} ms`,
  );
  const percent = (share) => `${formatNumber(share * 100)}%`;
  printTable(
    [
      'instances',
      'user → Chatwoot msg/s',
      'p50 / p99 ms',
      'webhook → channel msg/s',
      'p50 / p99 ms',
      'busiest instance CPU',
      'machine CPU',
    ],
    Object.entries(results).map(([count, figures]) => [
      `${count} on Redis`,
      formatNumber(figures.toChatwoot.perSecond),
      `${formatNumber(figures.toChatwoot.p50, 1)} / ${formatNumber(figures.toChatwoot.p99, 1)}`,
      formatNumber(figures.toChannel.perSecond),
      `${formatNumber(figures.toChannel.p50, 1)} / ${formatNumber(figures.toChannel.p99, 1)}`,
      percent(figures.toChatwoot.instanceBusy),
      percent(figures.toChatwoot.machineBusy),
    ]),
  );
  const targets = [];
  if (results[1] !== undefined && results[2] !== undefined) {
    const scaling = results[2].toChatwoot.perSecond / results[1].toChatwoot.perSecond;
    results.scaling = scaling;
    targets.push({
      name: `Redis, ${latencyMs} ms support latency: 2 instances relay at least 1.8 × what one does (user → Chatwoot)`,
      met: scaling >= 1.8,
      figure: scaling,
    });
  }
  for (const target of targets) {
    console.log(
      `target ${target.met ? 'met    ' : 'NOT met'} ${target.name}: ${formatNumber(target.figure, 2)}`,
    );
  }
  console.log(
    `(every process of this run shares the same ${cpus().length} cores: the fake, Redis, the load and the runtimes)`,
  );
  report('relay-redis', { kind: 'absolute', users, perUser, rounds, latencyMs, results, targets });
} finally {
  await redis.stop();
  await fake.close();
  await callbacks.close();
  await dispatcher.close();
}
