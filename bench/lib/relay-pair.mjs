// The runtime and the bare proxy side by side in one run, in front of one fake Chatwoot: each in
// its own process, the runtime on SQLite with the durable outbox. A phase drives one of them and
// measures throughput, latency and the CPU time of both processes; the fake's webhooks go to the
// process the phase is about, and the phase ends only once the fake delivered every webhook it
// caused, so neither process does the other's work (the method check counts what each received).
import { request } from 'undici';
import { startFakeChatwoot } from '../../packages/chatwoot/dist/testing/index.js';
import { benchRuntimeConfig } from './bench-runtime-config.mjs';
import { startChildServer } from './child-server.mjs';
import { chatwootArrivals, relaySetup, startCallbackReceiver, until } from './relay-kit.mjs';

/** Requests a process received during a phase, by kind, from its probes before and after. */
function requestsBetween(before, after) {
  const kinds = { userMessages: 0, webhooks: 0, other: 0 };
  for (const [path, count] of Object.entries(after.requests)) {
    const received = count - (before.requests[path] ?? 0);
    if (received === 0) continue;
    if (path.endsWith('/messages') || path === '/to-chatwoot') kinds.userMessages += received;
    else if (path.endsWith('/webhook')) kinds.webhooks += received;
    else kinds.other += received;
  }
  return kinds;
}

/**
 * Starts the pair. `runtimeConfig` is merged into the runtime's configuration (delivery tuning,
 * storage). `latencyMs`: the fake's answers come this long after each request (set later with
 * `setLatency`).
 */
export async function startRelayPair(options = {}) {
  const setup = relaySetup();
  const { auth, dispatcher, post } = setup;
  const fake = await startFakeChatwoot();
  fake.setAvailability(8, 'online');
  const callbacks = await startCallbackReceiver();
  const runtime = await startChildServer('./runtime-server.mjs', {
    HANDOFF_BENCH_CONFIG: JSON.stringify(
      benchRuntimeConfig(fake, {
        channels: { web: { callbackUrl: callbacks.url, callbackSecret: 'bench-callback-secret-0123456789' } },
        ...options.runtimeConfig,
      }),
    ),
  });
  const bare = await startChildServer('./bare-proxy-server.mjs', {
    HANDOFF_BENCH_BARE: JSON.stringify({
      chatwootUrl: fake.baseUrl,
      accountId: fake.accountId,
      token: fake.tokens.bot,
      callbackUrl: callbacks.url,
    }),
  });
  const webhookOf = { runtime: `${runtime.url}/v1/support/chatwoot/webhook`, bare: `${bare.url}/webhook` };
  fake.setInbox({ webhookUrl: webhookOf.runtime });
  fake.setLatency(options.latencyMs ?? 0);
  const arrivedAtChatwoot = chatwootArrivals(fake);
  const asHarness = { api_access_token: fake.tokens.admin, 'x-fake-chatwoot-harness': '1' };
  const api = (path) => `${fake.baseUrl}/api/v1/accounts/${fake.accountId}${path}`;
  const userPath = (user) => `${runtime.url}/v1/channels/web/users/${user}`;

  return {
    ...setup,
    fake,
    runtime,
    bare,
    arrivedAtChatwoot,
    arrivedAtChannel: (text) => callbacks.arrivals.get(text),
    /** Hands `count` users (ids `<prefix>-<n>`) off to Billing; resolves with their conversation ids. */
    async handOff(prefix, count) {
      const conversations = await Promise.all(
        Array.from({ length: count }, async (_, user) => {
          const path = userPath(`${prefix}-${user}`);
          await post(`${path}/messages`, { text: 'I want a refund' }, auth);
          await post(`${path}/messages`, { text: 'agent' }, auth);
          return until(async () => {
            const response = await request(`${path}/session`, { dispatcher, headers: auth });
            const session = await response.body.json();
            return fake.conversation(Number(session.conversationId))?.status === 'open'
              ? session.conversationId
              : undefined;
          }, 'the handoffs');
        }),
      );
      await fake.idle();
      return conversations;
    },
    /** Opens `count` conversations of the bare proxy's own (Chatwoot limits messages per conversation). */
    async bareConversations(prefix, count) {
      const conversations = [];
      for (let user = 0; user < count; user += 1) {
        const contact = await post(
          api('/contacts'),
          { inbox_id: fake.inboxId, identifier: `${prefix}-${user}` },
          asHarness,
        );
        const created = await post(
          api('/conversations'),
          { inbox_id: fake.inboxId, contact_id: contact.payload.contact.id, status: 'open' },
          asHarness,
        );
        conversations.push(created.id);
      }
      return conversations;
    },
    /** The user message through the runtime, as the channel posts it. */
    throughRuntime: (prefix, user, text) => post(`${userPath(`${prefix}-${user}`)}/messages`, { text }, auth),
    /** The same message through the bare proxy, into its own conversation. */
    throughBare: (conversationId, text) => post(`${bare.url}/to-chatwoot`, { conversationId, text }),
    /** An agent's message in Chatwoot's dashboard: Chatwoot's webhook carries it on. */
    agentSays: (conversationId, text) =>
      post(
        api(`/conversations/${conversationId}/messages`),
        { content: text, message_type: 'outgoing' },
        { ...asHarness, api_access_token: fake.tokens.agent },
      ),
    /**
     * Runs `work` with the fake's webhooks going to `target` ('runtime' or 'bare'); resolves with
     * what `work` resolved with, plus the CPU time (µs) and the requests of both processes during
     * the phase, once every webhook the phase caused was delivered.
     */
    async phase(target, work) {
      fake.setInbox({ webhookUrl: webhookOf[target] });
      const before = { runtime: await runtime.probe(), bare: await bare.probe() };
      const figures = await work();
      await fake.idle();
      const after = { runtime: await runtime.probe(), bare: await bare.probe() };
      const of = (name) => ({
        cpuMicros: after[name].cpuMicros - before[name].cpuMicros,
        requests: requestsBetween(before[name], after[name]),
      });
      return { ...figures, processes: { runtime: of('runtime'), bare: of('bare') } };
    },
    setLatency: (ms) => fake.setLatency(ms),
    async close() {
      await runtime.stop();
      await bare.stop();
      await fake.close();
      await callbacks.close();
      await dispatcher.close();
    },
  };
}
