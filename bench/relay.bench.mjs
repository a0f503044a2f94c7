// Environment: BENCH_USERS (32), BENCH_MESSAGES per user per round (20), BENCH_ROUNDS (3);
// BENCH_PROFILE_CHILD=./runtime-server.mjs writes a CPU profile of the runtime to /tmp/prof.
//
// Relay speed in human mode: the runtime (its own process, SQLite, durable outbox on) against a
// bare proxy (its own process, one undici call per message, no storage), same concurrency, same
// run, both in front of the same fake Chatwoot. User messages to Chatwoot, and agent messages from
// Chatwoot's webhooks to the channel's callback.
import { request } from 'undici';
import { demoConfig } from '../apps/runtime/dist/index.js';
import { chatwootSettingsFor, startFakeChatwoot } from '../packages/chatwoot/dist/testing/index.js';
import { formatNumber, median, printTable, report } from './lib/bench-kit.mjs';
import { startChildServer } from './lib/child-server.mjs';
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
const runtime = await startChildServer('./runtime-server.mjs', {
  HANDOFF_BENCH_CONFIG: JSON.stringify({
    ...demoConfig,
    server: { host: '127.0.0.1', port: 0 },
    auth: { tokens: [{ name: 'bench', token }], rateLimitPerMinute: 100_000_000 },
    logging: { level: 'silent' },
    support: {
      type: 'chatwoot',
      name: 'chatwoot',
      catchUpIntervalMs: 0,
      chatwoot: chatwootSettingsFor(fake),
    },
    channels: { web: { callbackUrl: callbacks.url, callbackSecret: 'bench-callback-secret-0123456789' } },
  }),
});
const bare = await startChildServer('./bare-proxy-server.mjs', {
  HANDOFF_BENCH_BARE: JSON.stringify({
    chatwootUrl: fake.baseUrl,
    accountId: fake.accountId,
    token: fake.tokens.bot,
    callbackUrl: callbacks.url,
  }),
});
const runtimeWebhook = `${runtime.url}/v1/support/chatwoot/webhook`;
fake.setInbox({ webhookUrl: runtimeWebhook });

const arrivedAtChatwoot = chatwootArrivals(fake);
const arrivedAtChannel = (text) => callbacks.arrivals.get(text);
const asHarness = { api_access_token: fake.tokens.admin, 'x-fake-chatwoot-harness': '1' };
const api = (path) => `${fake.baseUrl}/api/v1/accounts/${fake.accountId}${path}`;

try {
  // Every user hands off to Billing, and talks to a human from then on.
  const userPath = (user) => `${runtime.url}/v1/channels/web/users/relay-${user}`;
  const conversationOf = new Map();
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      await post(`${userPath(user)}/messages`, { text: 'I want a refund' }, auth);
      await post(`${userPath(user)}/messages`, { text: 'agent' }, auth);
      const id = await until(async () => {
        const response = await request(`${userPath(user)}/session`, { dispatcher, headers: auth });
        const session = await response.body.json();
        return fake.conversation(Number(session.conversationId))?.status === 'open'
          ? session.conversationId
          : undefined;
      }, 'the handoffs');
      conversationOf.set(user, id);
    }),
  );
  // The bare proxy posts into conversations of its own (Chatwoot limits messages per conversation).
  const bareConversationOf = new Map();
  for (let user = 0; user < users; user += 1) {
    const contact = await post(
      api('/contacts'),
      { inbox_id: fake.inboxId, identifier: `bare-${user}` },
      asHarness,
    );
    const created = await post(
      api('/conversations'),
      { inbox_id: fake.inboxId, contact_id: contact.payload.contact.id, status: 'open' },
      asHarness,
    );
    bareConversationOf.set(user, created.id);
  }

  const throughRuntime = (user, text) => post(`${userPath(user)}/messages`, { text }, auth);
  const throughBare = (user, text) =>
    post(`${bare.url}/to-chatwoot`, { conversationId: bareConversationOf.get(user), text });
  const toChatwoot = { runtime: [], bare: [] };
  for (let round = -1; round < rounds; round += 1) {
    const runtimeFigures = await measure(
      await drive(load, throughRuntime, `runtime r${round}`),
      arrivedAtChatwoot,
    );
    fake.setInbox({ webhookUrl: `${bare.url}/webhook` });
    const bareFigures = await measure(await drive(load, throughBare, `bare r${round}`), arrivedAtChatwoot);
    fake.setInbox({ webhookUrl: runtimeWebhook });
    if (round < 0) continue; // warm-up
    toChatwoot.runtime.push(runtimeFigures);
    toChatwoot.bare.push(bareFigures);
  }

  // Agent messages: Chatwoot's webhook to the runtime (or the bare proxy), then to the channel.
  const agentSays = (conversationId, text) =>
    post(
      api(`/conversations/${conversationId}/messages`),
      { content: text, message_type: 'outgoing' },
      {
        ...asHarness,
        api_access_token: fake.tokens.agent,
      },
    );
  const toChannel = { runtime: [], bare: [] };
  for (let round = -1; round < rounds; round += 1) {
    fake.setInbox({ webhookUrl: runtimeWebhook });
    const runtimeFigures = await measure(
      await drive(load, (user, text) => agentSays(conversationOf.get(user), text), `agent-runtime r${round}`),
      arrivedAtChannel,
    );
    fake.setInbox({ webhookUrl: `${bare.url}/webhook` });
    const bareFigures = await measure(
      await drive(
        load,
        (user, text) => agentSays(bareConversationOf.get(user), text),
        `agent-bare r${round}`,
      ),
      arrivedAtChannel,
    );
    if (round < 0) continue;
    toChannel.runtime.push(runtimeFigures);
    toChannel.bare.push(bareFigures);
  }

  const summarise = (samples) => ({
    perSecond: median(samples.map((sample) => sample.perSecond)),
    p50: median(samples.map((sample) => sample.p50)),
    p99: median(samples.map((sample) => sample.p99)),
  });
  const results = {};
  const rows = [];
  for (const [name, figures] of [
    ['user → Chatwoot', toChatwoot],
    ['Chatwoot webhook → channel callback', toChannel],
  ]) {
    const through = summarise(figures.runtime);
    const direct = summarise(figures.bare);
    const ratio = through.perSecond / direct.perSecond;
    results[name] = {
      runtime: through,
      bare: direct,
      ratio,
      addedP50Ms: through.p50 - direct.p50,
      addedP99Ms: through.p99 - direct.p99,
    };
    rows.push([
      name,
      formatNumber(through.perSecond),
      formatNumber(direct.perSecond),
      formatNumber(ratio, 2),
      `${formatNumber(through.p50, 1)} / ${formatNumber(through.p99, 1)}`,
      `${formatNumber(direct.p50, 1)} / ${formatNumber(direct.p99, 1)}`,
      `${formatNumber(through.p50 - direct.p50, 1)} / ${formatNumber(through.p99 - direct.p99, 1)}`,
    ]);
  }
  console.log(
    `${users} concurrent users, ${perUser} messages each, median of ${rounds} rounds after a warm-up; runtime on SQLite`,
  );
  printTable(
    [
      'path',
      'runtime msg/s',
      'bare msg/s',
      'ratio',
      'runtime p50/p99 ms',
      'bare p50/p99 ms',
      'added p50/p99 ms',
    ],
    rows,
  );
  const ratio = results['user → Chatwoot'].ratio;
  const target = {
    name: 'relay throughput at least 0.8 of the bare proxy, durable outbox on',
    met: ratio >= 0.8,
    figure: ratio,
  };
  console.log(`target ${target.met ? 'met    ' : 'NOT met'} ${target.name}: ${formatNumber(ratio, 2)}`);
  console.log('(ratios compare across machines; msg/s and ms are this machine only)');
  report('relay', { kind: 'ratios and absolute', users, perUser, rounds, results, targets: [target] });
} finally {
  await runtime.stop();
  await bare.stop();
  await fake.close();
  await callbacks.close();
  await dispatcher.close();
}
