// The chatbots of the registry at work: an engine per chatbot, built on first use, rebuilt on
// change, dropped when idle.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createChatwootAdapter } from '@handoff/chatwoot';
import {
  type BotConnector,
  type BotStateStore,
  ConfigurationError,
  createHandoffEngine,
  createSkillRouter,
  type EngineTelemetryEvent,
  formatConfigurationPath,
  type HandoffEngine,
  type HandoffEngineSettings,
  type HandoffStores,
  type SupportAdapter,
  SupportError,
  sessionKey,
  type Team,
} from '@handoff/core';
import { createIntercomAdapter } from '@handoff/intercom';
import {
  createMemoryAdapter,
  createMemorySupportSystem,
  defaultMemoryTeams,
  type MemorySupportSystem,
  type MemorySystemState,
} from '@handoff/memory';
import { createRocketChatAdapter } from '@handoff/rocketchat';
import { createSunshineAdapter } from '@handoff/sunshine';
import type { FastifyBaseLogger } from 'fastify';
import type { Dispatcher } from 'undici';
import { createDemoBot } from '../bots/demo-bot.js';
import { createHttpBot } from '../bots/http-bot.js';
import { createRuntimeChannelSink } from '../channels/runtime-channel-sink.js';
import { createNoticeTexts } from '../config/notice-texts.js';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { bearerTokenOf } from '../http/bearer-auth.js';
import { HttpProblem } from '../http/http-problem.js';
import { createRateLimiter } from '../http/rate-limiter.js';
import { createUnprovisionedSupport } from '../support/unprovisioned-support.js';
import type { ChatbotRegistry } from './chatbot-registry.js';
import type { ChatbotSettings } from './chatbot-settings.js';
import type { ChatbotTokenIndex } from './chatbot-token-index.js';
import { type HostedChatwoot, wantsHostedChatwoot } from './hosted-chatwoot.js';
import { parkSupportDeliveries } from './park-support-deliveries.js';
import { supportIntegrationOf } from './support-integration.js';

/** A chatbot of the registry, running: its engine, its support adapter, its channels' tokens. */
export interface ServedChatbot {
  id: string;
  revision: number;
  engine: HandoffEngine;
  /** Where its conversations live (`supportIntegrationOf`). */
  integration: string;
  support: {
    name: string;
    type: ChatbotSettings['support']['type'];
    adapter: SupportAdapter;
    memory?: MemorySupportSystem;
  };
  /** Where a user's mailbox and live events are kept: apart from every other chatbot's users. */
  userKey(channelId: string, userId: string): string;
  /**
   * Closes every session a human holds (support was turned off): `note` for the agent in the
   * support conversation, the return notice to the user's mailbox and event streams. Resolves
   * with how many were closed.
   */
  closeHeldSessions(note: string): Promise<number>;
  /** Throws a 401 without a bearer token, a 403 unless it is this chatbot's token for `channelId`. */
  authenticate(header: string | undefined, channelId: string): void;
  /** The same for a route of no channel (files): a token of any of its channels passes. */
  authenticateAnyChannel(header: string | undefined): void;
  stop(): Promise<void>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The setting a refused credential points at, by support system. */
const credentialFieldOf: Record<ChatbotSettings['support']['type'], string> = {
  'in-process': 'apiToken',
  chatwoot: 'userToken',
  intercom: 'accessToken',
  sunshine: 'keySecret',
  rocketchat: 'authToken',
};

/** Support settings with their account details (a hosted Chatwoot provisioned). */
type ReadySupport = ChatbotSettings['support'];
/** A Chatwoot chatbot's account details. */
type ChatwootAccount = NonNullable<Extract<ChatbotSettings['support'], { type: 'chatwoot' }>['chatwoot']>;

/** A chatbot's key of a user: `bots/<bot>/<channel>/<user>`. */
const chatbotUserKey = (bot: string, channelId: string, userId: string) =>
  `bots/${bot}/${sessionKey(channelId, userId)}`;

/** The bot of a chatbot whose support is off: a handoff it asks for becomes `notice`. */
const withoutHandoffs = (bot: BotConnector, notice: string): BotConnector => ({
  async respond(request, options) {
    const { handoff, ...answer } = await bot.respond(request, options);
    if (handoff === undefined) return answer;
    return { ...answer, replies: [...(answer.replies ?? []), { text: notice }] };
  },
});

/** The channel and user of a session key (`sessionKey`'s inverse). */
const partsOfKey = (key: string) => {
  const [channelId = '', userId = ''] = key.split('/').map(decodeURIComponent);
  return { channelId, userId };
};

/** The configuration's notice texts by locale, with the chatbot's over them, locale by locale. */
const chatbotLocales = (
  configured: RuntimeConfig['locales'],
  own: ChatbotSettings['locales'],
): RuntimeConfig['locales'] => {
  if (own === undefined) return configured;
  const merged: NonNullable<RuntimeConfig['locales']> = { ...configured };
  for (const [locale, texts] of Object.entries(own)) merged[locale] = { ...configured?.[locale], ...texts };
  return merged;
};

/** What a chatbot's bot keeps, under keys of its own. */
const scopedState = (state: BotStateStore, bot: string): BotStateStore => ({
  get: (key) => state.get(`bots/${bot}/${key}`),
  put: (key, value) => state.put(`bots/${bot}/${key}`, value),
});

export interface ServedChatbotsSettings {
  registry: ChatbotRegistry;
  /** Kept up to date here, from the registry's changes. */
  tokenIndex: ChatbotTokenIndex;
  stores: HandoffStores;
  config: RuntimeConfig;
  log: FastifyBaseLogger;
  dispatcher?: Dispatcher | undefined;
  delivery?: HandoffEngineSettings['delivery'];
  onTelemetry?: (bot: string, event: EngineTelemetryEvent) => void;
  /** The configuration's own support is the in-process one: this instance claimed the systems already. */
  inProcessClaimed?: boolean;
  /** Hosted Chatwoot (`hosted.chatwoot`): provisions a chatbot's account when it turns Chatwoot on. */
  hosted?: HostedChatwoot | undefined;
}

/**
 * The registry's chatbots at work. Each gets its engine on first use (a request or a webhook for
 * it), on its own storage (`stores.chatbotStorage`: its own lanes and retries, so one chatbot's
 * outage never delays another's), with its own support adapter, bot, routing and channels. A
 * change to a chatbot (from any instance: the store tells) retires its engine; the next use builds
 * one from the new settings. An engine unused for `config.chatbots.idleAfterMs` with nothing in
 * its outbox is dropped, and built again by the next request or webhook.
 */
export function createServedChatbots(settings: ServedChatbotsSettings) {
  const { registry, stores, config, log } = settings;
  const running = new Map<string, Promise<ServedChatbot>>();
  const memorySystems = new Map<
    string,
    { teams: string; system: MemorySupportSystem; stopWebhooks: () => void }
  >();
  /** When each chatbot was last asked for (a request or a webhook). */
  const lastUsed = new Map<string, number>();
  const idleAfterMs = config.chatbots.idleAfterMs;
  /** Requests per minute and channel token of each chatbot: one chatbot's burst is its own. */
  const limiter = createRateLimiter({ perMinute: config.auth.rateLimitPerMinute });
  let stopWatching: (() => void) | undefined;

  /**
   * The support settings of `chatbot` with its hosted Chatwoot account provisioned (or found again,
   * finishing what a failed run left), when it asks for one; else as they are. A 400 when it asks
   * for one and this runtime hosts none.
   */
  const provisionSupport = async (bot: string, chatbot: ChatbotSettings): Promise<ReadySupport> => {
    const asked = chatbot.support;
    if (!wantsHostedChatwoot(asked)) return asked;
    if (settings.hosted === undefined) {
      if (asked.chatwoot !== undefined) return asked;
      const message =
        'is required: this runtime has no hosted Chatwoot (hosted.chatwoot) to provision an account';
      throw new HttpProblem(400, 'invalid_request', `support.chatwoot: ${message}`, [
        { path: 'support.chatwoot', message },
      ]);
    }
    return settings.hosted.provision(bot, chatbot, asked);
  };

  /** Whether this instance runs the in-process systems (`supportRecords.claim()`), once known. */
  let inProcessClaim: Promise<void> | undefined = settings.inProcessClaimed ? Promise.resolve() : undefined;
  /** Until when a refused claim is answered at once (a claim waits for a live owner's to run out). */
  let refusedUntil = 0;
  let refusal: unknown;
  /**
   * The in-process systems of every chatbot run in one instance, like the configuration's: their
   * records change in one process only. The first one built here claims them for this instance; on
   * another instance, a 503 says why.
   */
  const claimInProcessSystems = async (bot: string) => {
    const claimable = stores.supportRecords;
    if (claimable === undefined) return;
    if (inProcessClaim === undefined && Date.now() >= refusedUntil) {
      const claiming = claimable.claim();
      inProcessClaim = claiming;
      claiming.catch((error) => {
        if (inProcessClaim === claiming) inProcessClaim = undefined;
        refusal = error;
        refusedUntil = Date.now() + 30_000;
      });
    }
    try {
      if (inProcessClaim === undefined) throw refusal;
      await inProcessClaim;
    } catch (error) {
      throw new HttpProblem(
        503,
        'unavailable',
        `chatbot ${bot} uses the in-process support system, which runs on one instance and another one runs it (${(error as Error)?.message ?? error}); with several instances use an external support system (chatwoot, intercom, sunshine, rocketchat)`,
      );
    }
  };

  const supportOf = async (
    bot: string,
    support: ChatbotSettings['support'],
  ): Promise<{ name: string; adapter: SupportAdapter; memory?: MemorySupportSystem }> => {
    // A chatbot's adapter reads only its own settings: never the operator's CHATWOOT_*, INTERCOM_*, SUNSHINE_*, ZENDESK_* or ROCKETCHAT_*.
    const common = {
      env: {},
      ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
    };
    if (support.type === 'chatwoot') {
      // Hosted, not provisioned yet (support off until then).
      if (support.chatwoot === undefined) return { name: bot, adapter: createUnprovisionedSupport(bot) };
      return { name: bot, adapter: createChatwootAdapter({ ...support.chatwoot, ...common }) };
    }
    if (support.type === 'intercom')
      return { name: bot, adapter: createIntercomAdapter({ ...support.intercom, ...common }) };
    if (support.type === 'sunshine')
      return { name: bot, adapter: createSunshineAdapter({ ...support.sunshine, ...common }) };
    if (support.type === 'rocketchat')
      return { name: bot, adapter: createRocketChatAdapter({ ...support.rocketchat, ...common }) };
    const credentials = {
      apiToken: await stores.installationSecret(`chatbot-${bot}-memory-support-api-token`),
      webhookSecret: await stores.installationSecret(`chatbot-${bot}-memory-support-webhook-secret`),
    };
    // The system outlives an engine rebuilt for new settings, unless its teams changed. Its records
    // (users, conversations, ids) are saved in the storage with every change, before it answers,
    // so a system built again (a restart, new teams) goes on from them. One instance runs them.
    const teams = JSON.stringify(support.teams ?? null);
    const kept = memorySystems.get(bot);
    if (kept === undefined || kept.teams !== teams) {
      await claimInProcessSystems(bot);
      kept?.stopWebhooks();
      const records = stores.chatbotSupportRecords(bot);
      const saved = (await records.load()) as MemorySystemState | undefined;
      const system = createMemorySupportSystem({
        ...credentials,
        ...(support.teams === undefined ? {} : { teams: support.teams }),
        ...(saved === undefined ? {} : { initialState: saved }),
        persistence: records.persistence,
      });
      // Its webhooks go to the chatbot's engine of the moment, built for them when it was dropped.
      const stopWebhooks = system.subscribe(async (request) => {
        try {
          await (await serve(bot)).engine.receiveWebhook(request);
        } catch (error) {
          log.error({ err: error, bot }, 'in-process webhook refused');
        }
      });
      memorySystems.set(bot, { teams, system, stopWebhooks });
    }
    const system = (memorySystems.get(bot) as { system: MemorySupportSystem }).system;
    return { name: bot, adapter: createMemoryAdapter({ system, ...credentials }), memory: system };
  };

  /** The engine of `bot`, for `settings` (default: those stored now). */
  const build = async (
    bot: string,
    stored?: { revision: number; settings: ChatbotSettings },
  ): Promise<ServedChatbot> => {
    const found = stored ?? (await registry.settings(bot));
    if (found === undefined) throw new HttpProblem(404, 'not_found', `no chatbot ${bot}`);
    const chatbot = found.settings;
    const support = await supportOf(bot, chatbot.support);
    const channels = Object.fromEntries(
      Object.entries(chatbot.channels).map(([id, channel]) => [
        id,
        { ...channel, callbackTimeoutMs: 10_000 },
      ]),
    );
    const connector =
      chatbot.bot.type === 'demo'
        ? createDemoBot({ state: scopedState(stores.botState, bot) })
        : createHttpBot({
            url: chatbot.bot.url,
            timeoutMs: chatbot.bot.timeoutMs,
            secret: chatbot.bot.secret,
            dispatcher: settings.dispatcher,
          });
    const storage = stores.chatbotStorage(bot);
    const userKey = (channelId: string, userId: string) => chatbotUserKey(bot, channelId, userId);
    const engine = createHandoffEngine({
      support: support.adapter,
      supportIntegration: supportIntegrationOf({ ...chatbot, supportEnabled: true }),
      router: createSkillRouter(chatbot.routing),
      bot: chatbot.supportEnabled ? connector : withoutHandoffs(connector, chatbot.supportOffNotice),
      channel: createRuntimeChannelSink({
        mailbox: stores.mailbox,
        hub: stores.hub,
        channels,
        userKey,
        dispatcher: settings.dispatcher,
      }),
      storage,
      transcript: config.transcript,
      notices: createNoticeTexts({
        notices: { ...config.notices, ...chatbot.notices },
        locales: chatbotLocales(config.locales, chatbot.locales),
        channels: {},
      }),
      returnToBotPhrases: config.handoff.returnToBotPhrases,
      noAgent: {
        checkAvailability: config.handoff.checkAvailability,
        waitTimeoutMs: config.handoff.waitTimeoutMs,
      },
      transferLabels: config.handoff.labels,
      delivery: {
        ...stores.delivery,
        ...settings.delivery,
        onError: (error) => log.error({ err: error, bot }, 'delivery worker error'),
      },
      onTelemetry: (event) => settings.onTelemetry?.(bot, event),
    });
    const tokens = new Map(
      Object.entries(chatbot.channels).map(([id, channel]) => [id, digest(channel.token)]),
    );
    const authenticate = (header: string | undefined, channelId: string) => {
      const expected = tokens.get(channelId);
      const presented = digest(bearerTokenOf(header));
      if (expected === undefined || !timingSafeEqual(expected, presented)) {
        throw new HttpProblem(
          403,
          'forbidden',
          `the token may not use channel ${channelId} of chatbot ${bot}`,
        );
      }
      const taken = limiter.take(`${bot}/${channelId}`);
      if (!taken.allowed) {
        const seconds = String(Math.ceil(taken.retryAfterMs / 1000));
        throw new HttpProblem(
          429,
          'rate_limited',
          `channel ${channelId} of chatbot ${bot} sent too many requests; retry in ${seconds} s`,
          undefined,
          { 'retry-after': seconds },
        );
      }
    };
    engine.start();
    log.info({ bot, revision: found.revision }, 'chatbot started');
    return {
      id: bot,
      revision: found.revision,
      engine,
      integration: supportIntegrationOf(chatbot),
      support: { ...support, type: chatbot.support.type },
      userKey,
      async closeHeldSessions(note) {
        let closed = 0;
        for (const { key } of await storage.sessions.listConversations()) {
          const { channelId, userId } = partsOfKey(key);
          const result = await engine.closeSession({ channelId, userId, note });
          for (const reply of result.replies) {
            const entry = await stores.mailbox.append(userKey(channelId, userId), reply);
            await stores.hub.publish(userKey(channelId, userId), { type: 'message', entry });
          }
          closed += 1;
        }
        return closed;
      },
      authenticate,
      authenticateAnyChannel(header) {
        const presented = digest(bearerTokenOf(header));
        const channelId = [...tokens].find(([, expected]) => timingSafeEqual(expected, presented))?.[0];
        if (channelId === undefined) {
          throw new HttpProblem(403, 'forbidden', `the token is no channel token of chatbot ${bot}`);
        }
        authenticate(header, channelId);
      },
      async stop() {
        await engine.stop();
        await support.memory?.idle().catch(() => undefined);
      },
    };
  };

  /** The running chatbot `bot`, built on first use; a 404 when the registry has none. */
  const serve = (bot: string, options: { use?: boolean } = {}): Promise<ServedChatbot> => {
    if (options.use !== false) lastUsed.set(bot, Date.now());
    let served = running.get(bot);
    if (served === undefined) {
      served = build(bot);
      running.set(bot, served);
      // A chatbot that could not be built (none, bad settings) is tried again next time.
      served.catch(() => {
        if (running.get(bot) === served) running.delete(bot);
      });
    }
    return served;
  };

  /** Engines of settings replaced, delivering what they hold before they stop. */
  const retiring = new Set<ServedChatbot>();
  let closing = false;

  /** Delivers what `served` holds; false when it could not within `timeoutMs` (or the runtime closes). */
  const drained = async (served: ServedChatbot, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!closing && Date.now() < deadline) {
      try {
        await served.engine.drain({ timeoutMs: Math.min(15_000, Math.max(1, deadline - Date.now())) });
        return true;
      } catch {
        // Still busy: more traffic arrived meanwhile, or the system is slow. Try again.
      }
    }
    return false;
  };

  /** The note for the agents of conversations closed because the chatbot's support changed. */
  const changeNote = (next: ChatbotSettings | undefined) =>
    next === undefined
      ? 'This chatbot was deleted: the conversation was closed.'
      : !next.supportEnabled
        ? 'Support was turned off for this chatbot: the conversation was closed and the user is back with the bot.'
        : 'This chatbot now uses another support system or inbox: the conversation was closed here and the user is back with the bot.';

  /**
   * Hands the sessions of `served` over from its support integration to none: deliveries under way
   * land first (a handoff in flight becomes a conversation), every conversation a human holds is
   * closed (a note for the agent, a notice for the user), and what that queued is delivered. What
   * cannot be delivered in time is parked with the reason, never sent to the next integration.
   * Resolves with how many conversations were closed.
   */
  const leaveIntegration = async (served: ServedChatbot, next: ChatbotSettings | undefined) => {
    const bot = served.id;
    const drainMs = config.chatbots.supportChangeDrainMs;
    await drained(served, drainMs);
    const closed = await served.closeHeldSessions(changeNote(next));
    const delivered = await drained(served, drainMs);
    await served.engine.stop();
    if (!delivered) {
      const parked = await parkSupportDeliveries(
        stores.chatbotStorage(bot).outbox,
        `the chatbot's support integration changed before this was delivered to ${served.support.type}`,
      );
      log.warn({ bot, parked }, 'support deliveries to the previous integration parked');
    }
    log.info({ bot, revision: served.revision, closed }, 'chatbot left its support integration');
    return closed;
  };

  /**
   * A chatbot with no engine running here (dropped when idle) whose support integration changed
   * from `previous`: an engine for the previous settings leaves it, if a human holds a conversation.
   */
  const leaveWithoutEngine = async (
    bot: string,
    previous: { revision: number; settings: ChatbotSettings },
  ) => {
    const next = (await registry.settings(bot))?.settings;
    const integration = next === undefined ? 'deleted' : supportIntegrationOf(next);
    if (integration === supportIntegrationOf(previous.settings) || !(await hasConversations(bot))) return 0;
    return leaveIntegration(await build(bot, previous), next);
  };

  /** Chatbots whose engine is being replaced: for which revision, and how many sessions that closed. */
  const replacing = new Map<string, { revision: number | undefined; closed: Promise<number> }>();

  /**
   * Retires the engine of `bot`, if one runs, for the settings of `revision` (undefined: whatever
   * is stored now); a change seen twice (the write and the watch) is applied once.
   * - Same support integration: the next use builds an engine from the new settings at once; the
   *   old one delivers what it holds first (stopping it mid-delivery would abort a transfer), then
   *   stops. Both deliver from the same storage meanwhile; leases keep each item to one.
   * - Another integration (another system, account or inbox; support turned off; the chatbot
   *   deleted): the old engine leaves its integration first (see `leaveIntegration`), and requests
   *   wait for the new engine meanwhile, so nothing accepted for one integration reaches the other.
   * Resolves with how many conversations were closed.
   */
  const replace = async (
    bot: string,
    revision?: number,
    previous?: { revision: number; settings: ChatbotSettings },
  ): Promise<number> => {
    const current = running.get(bot);
    if (current === undefined) return previous === undefined ? 0 : leaveWithoutEngine(bot, previous);
    const old = await current.catch(() => undefined);
    // Replaced meanwhile by another call (they run one after the other from here).
    if (running.get(bot) !== current) return (await replacing.get(bot)?.closed) ?? 0;
    running.delete(bot);
    if (old === undefined) return 0;
    if (revision !== undefined && old.revision >= revision) {
      running.set(bot, current);
      return 0;
    }
    const outcome = (async () => {
      const next = (await registry.settings(bot))?.settings;
      const integration = next === undefined ? 'deleted' : supportIntegrationOf(next);
      // Same place: the old engine drains beside the new one.
      if (integration === old.integration) return { closed: 0, drainBeside: true };
      return { closed: await leaveIntegration(old, next), drainBeside: false };
    })();
    const closed = outcome.then((result) => result.closed);
    const entry = { revision, closed };
    replacing.set(bot, entry);
    // Requests meanwhile wait for this engine (built at once when the integration stays).
    const built = closed
      .catch(() => 0)
      .then(() => (closing ? Promise.reject(new Error('the runtime is closing')) : build(bot)));
    running.set(bot, built);
    built.catch(() => {
      if (running.get(bot) === built) running.delete(bot);
    });
    void outcome
      .then(async ({ drainBeside }) => {
        if (!drainBeside) return;
        await built.catch(() => undefined);
        retiring.add(old);
        await drained(old, 300_000);
        retiring.delete(old);
        await old.stop();
        log.info({ bot, revision: old.revision }, 'chatbot engine of replaced settings stopped');
      })
      .catch((error) => log.warn({ err: error, bot }, 'stopping a replaced chatbot engine failed'));
    try {
      return await closed;
    } finally {
      if (replacing.get(bot) === entry) replacing.delete(bot);
    }
  };

  /** Whether the outbox of `bot` holds anything: pending, scheduled or being delivered. */
  const hasQueued = async (bot: string) => {
    const counts = await stores.chatbotStorage(bot).outbox.counts();
    return counts.pending + counts.scheduled + counts.inFlight > 0;
  };

  /** Whether a human holds a conversation of `bot` (so webhooks it missed matter). */
  const hasConversations = async (bot: string) =>
    (await stores.chatbotStorage(bot).sessions.listConversations()).length > 0;

  /** Each chatbot of the registry, page by page. */
  async function* everyChatbot() {
    for (let page = await stores.chatbots.list({ limit: 100 }); page.length > 0; ) {
      yield* page;
      page = await stores.chatbots.list({ after: page.at(-1)?.id ?? '', limit: 100 });
    }
  }

  /**
   * Stops the engine of every chatbot unused for `idleAfterMs` whose outbox is empty; the next
   * request or webhook builds it again. Whatever it queued while stopping starts it again.
   */
  const dropIdle = async () => {
    const now = Date.now();
    for (const [bot, served] of [...running]) {
      if (closing || now - (lastUsed.get(bot) ?? 0) < idleAfterMs) continue;
      const chatbot = await served.catch(() => undefined);
      if (chatbot === undefined || (await hasQueued(bot).catch(() => true))) continue;
      // Asked for meanwhile, or replaced: not idle any more.
      if (running.get(bot) !== served || Date.now() - (lastUsed.get(bot) ?? 0) < idleAfterMs) continue;
      running.delete(bot);
      await chatbot.engine.drain({ timeoutMs: 15_000 }).catch(() => undefined);
      await chatbot.stop();
      // An in-process system that never held anyone goes too (nothing to keep); one with users or
      // conversations stays, for their agents' replies.
      const memory = memorySystems.get(bot);
      const state = memory?.system.exportState();
      if (memory !== undefined && state?.users.length === 0 && state.conversations.length === 0) {
        memory.stopWebhooks();
        memorySystems.delete(bot);
      }
      log.info({ bot, revision: chatbot.revision }, 'idle chatbot engine dropped');
      if (!closing && !running.has(bot) && (await hasQueued(bot).catch(() => false)))
        void serve(bot).catch(() => undefined);
    }
  };
  let idleTimer: ReturnType<typeof setInterval> | undefined;
  let sweeping = false;

  return {
    /** The running chatbot `bot`, built on first use; a 404 when the registry has none. */
    get: (bot: string) => serve(bot),
    /**
     * Applies the settings of `revision` of `bot` now (the watch would, a moment later): resolves
     * once a change of support integration is done, with how many conversations it closed.
     * `previous`: the settings before the change, to leave their integration even when no engine
     * of the chatbot runs here.
     */
    apply: (bot: string, revision: number, previous?: { revision: number; settings: ChatbotSettings }) =>
      replace(bot, revision, previous),
    /** How many chatbots have an engine running now. */
    get runningCount() {
      return running.size;
    },
    /**
     * Checks support settings against the system before they are stored with support on: the
     * credentials, account and inbox or workspace (where the adapter can tell), and that they list
     * the teams; then registers the webhook where the system lets the runtime (see
     * `registerWebhook`). A refusal is a 400 naming each field to fix. Resolves with the system's
     * teams and the support settings to store (with the registered webhook's secret).
     */
    provisionSupport,
    async checkSupport(
      bot: string,
      chatbot: ChatbotSettings,
    ): Promise<{ teams: readonly Team[]; support: ChatbotSettings['support'] }> {
      const asked = chatbot.support;
      if (asked.type === 'in-process') return { teams: asked.teams ?? defaultMemoryTeams, support: asked };
      // Hosted: the organization's account is provisioned (or found again) first.
      const support = await provisionSupport(bot, chatbot);
      const section = `support.${support.type}`;
      const refused = (issues: ReadonlyArray<{ field: string; message: string }>) =>
        new HttpProblem(
          400,
          'invalid_request',
          `${section}.${issues[0]?.field}: ${issues[0]?.message}`,
          issues.map((issue) => ({ path: `${section}.${issue.field}`, message: issue.message })),
        );
      /** The field a failed call points at, by its code. */
      const fieldOf = (error: SupportError) =>
        error.code === 'unauthorized'
          ? credentialFieldOf[support.type]
          : error.code === 'not_found' && support.type === 'chatwoot'
            ? 'accountId'
            : 'baseUrl';
      const publicUrl = config.server.publicUrl;
      const registering = support.type === 'chatwoot' && support.registerWebhook && publicUrl !== undefined;
      /** The adapter for `checked`, or a 400 naming each of its settings the adapter refuses. */
      const adapterFor = async (checked: ChatbotSettings['support']) => {
        try {
          return (await supportOf(bot, checked)).adapter;
        } catch (error) {
          if (!ConfigurationError.isInstance(error)) throw error;
          throw refused(
            error.issues.map((issue) => ({
              field: formatConfigurationPath(issue.path),
              message: issue.message,
            })),
          );
        }
      };
      // The webhook's secret comes with registering it; the calls before need none.
      const adapter = await adapterFor(
        registering && support.type === 'chatwoot' && support.chatwoot?.webhookSecret === undefined
          ? {
              ...support,
              chatwoot: { ...(support.chatwoot as ChatwootAccount), allowUnsignedWebhooks: true },
            }
          : support,
      );
      const signal = () => AbortSignal.timeout(10_000);
      let teams: readonly Team[];
      try {
        const issues = (await adapter.verifySettings?.({ signal: signal() })) ?? [];
        if (issues.length > 0) throw refused(issues);
        teams = await adapter.listTeams({ signal: signal() });
      } catch (error) {
        if (!SupportError.isInstance(error)) throw error;
        throw refused([
          {
            field: fieldOf(error),
            message: `the support system refused the settings (${error.code}): ${error.message}`,
          },
        ]);
      }
      if (
        support.type !== 'chatwoot' ||
        !registering ||
        publicUrl === undefined ||
        adapter.registerWebhook === undefined
      ) {
        await adapterFor(support);
        return { teams, support };
      }
      const url = `${publicUrl.replace(/\/+$/, '')}/v1/bots/${bot}/support/webhook`;
      try {
        const registered = await adapter.registerWebhook({ url, signal: signal() });
        log.info({ bot, webhook: registered.id, created: registered.created }, 'support webhook registered');
        const stored =
          registered.secret === undefined
            ? support
            : {
                ...support,
                chatwoot: { ...(support.chatwoot as ChatwootAccount), webhookSecret: registered.secret },
              };
        // A release that gives no secret (before 4.11.2) signs nothing: the settings must say so.
        await adapterFor(stored);
        return { teams, support: stored };
      } catch (error) {
        if (!SupportError.isInstance(error)) throw error;
        const message = `registering the webhook ${url} failed (${error.code}): ${error.message}`;
        throw refused([
          {
            field: error.code === 'unauthorized' ? 'userToken' : fieldOf(error),
            message:
              error.code === 'unauthorized'
                ? `${message}; it takes an administrator's token, or set support.registerWebhook to false and point the inbox's webhook at that URL`
                : message,
          },
        ]);
      }
    },
    /**
     * Reads back what webhooks may have missed (see `HandoffEngine.catchUp`) for every chatbot
     * whose engine runs and every one a human holds a conversation of. `start`: what this
     * instance missed while it was down; `interval`: with several instances on one storage, one
     * of them per chatbot and `periodMs`. A chatbot that fails is logged and counted, and the
     * others go on.
     */
    async catchUp(reason: 'start' | 'interval', periodMs: number) {
      const totals = { chatbots: 0, conversations: 0, events: 0, failed: 0 };
      for await (const { id: bot } of everyChatbot()) {
        if (closing) break;
        try {
          if (!running.has(bot)) {
            if (!(await hasConversations(bot))) continue;
            // An in-process system lives in this process: with no engine here, none to read back.
            if ((await registry.settings(bot))?.settings.support.type === 'in-process') continue;
          }
          if (reason === 'interval' && !(await stores.claimTurn(`catch-up:${bot}`, periodMs))) continue;
          // Not a use: an engine built only to catch up is dropped again when idle.
          const served = await (running.get(bot) ?? serve(bot, { use: false }));
          const result = await served.engine.catchUp({ signal: AbortSignal.timeout(60_000) });
          totals.chatbots += 1;
          totals.conversations += result.conversations;
          totals.events += result.events;
          totals.failed += result.failed;
          if (result.conversations > 0)
            log.info({ bot, reason, ...result }, 'caught up with the support system');
        } catch (error) {
          totals.failed += 1;
          log.warn({ err: error, bot, reason }, 'catching up with the support system failed');
        }
      }
      return totals;
    },
    /**
     * Watches the registry, and starts the engine of every chatbot with something queued or a
     * conversation a human holds, so what each left is delivered and its agents' replies reach
     * it (the others start on their first request or webhook).
     */
    async start() {
      stopWatching = await stores.chatbots.watch((change) => {
        void settings.tokenIndex
          .apply(change)
          .catch((error) => log.warn({ err: error }, 'reading chatbot tokens failed'));
        const replaced = (bot: string, revision?: number) =>
          void replace(bot, revision).catch((error) =>
            log.warn({ err: error, bot }, 'replacing a chatbot engine failed'),
          );
        if (change.type === 'resync') for (const bot of [...running.keys()]) replaced(bot);
        else replaced(change.id, change.type === 'written' ? change.revision : undefined);
      });
      // In the background: with many chatbots, reading every one's tokens must not hold up the start
      // (until it is done, a foreign chatbot's token on the default routes gets 401, not 403).
      void settings.tokenIndex
        .load()
        .catch((error) => log.warn({ err: error }, 'reading chatbot tokens failed'));
      for await (const { id: bot } of everyChatbot()) {
        if (idleAfterMs > 0 && !(await hasQueued(bot).catch(() => true))) continue;
        void serve(bot).catch((error) => log.warn({ err: error, bot }, 'chatbot could not start'));
      }
      if (idleAfterMs > 0) {
        idleTimer = setInterval(
          () => {
            if (sweeping) return;
            sweeping = true;
            void dropIdle()
              .catch((error) => log.warn({ err: error }, 'dropping idle chatbots failed'))
              .finally(() => {
                sweeping = false;
              });
          },
          Math.min(60_000, Math.max(50, Math.floor(idleAfterMs / 4))),
        );
        idleTimer.unref();
      }
    },
    async close() {
      closing = true;
      if (idleTimer !== undefined) clearInterval(idleTimer);
      stopWatching?.();
      for (const { stopWebhooks } of memorySystems.values()) stopWebhooks();
      // Replacements under way finish first (they stop draining as soon as the runtime closes).
      await Promise.all([...replacing.values()].map((entry) => entry.closed.catch(() => 0)));
      const claimed = !settings.inProcessClaimed && inProcessClaim !== undefined;
      const all = [...running.values()];
      running.clear();
      await Promise.all([
        ...all.map((served) =>
          served.then(
            (chatbot) => chatbot.stop(),
            () => undefined,
          ),
        ),
        ...[...retiring].map((chatbot) => chatbot.stop()),
      ]);
      if (claimed) await inProcessClaim?.then(() => stores.supportRecords?.release()).catch(() => undefined);
    },
  };
}

export type ServedChatbots = ReturnType<typeof createServedChatbots>;
