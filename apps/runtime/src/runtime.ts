import { randomBytes } from 'node:crypto';
import {
  type BotHostEngine,
  type BotHostTelemetryEvent,
  ConfigurationError,
  createBotHostEngine,
  createHandoffEngine,
  createInMemoryStores,
  type EngineTelemetryEvent,
  type HandoffEngine,
  type HandoffEngineSettings,
  type HandoffStores,
} from '@handoff/core';
import { createPostgresStores } from '@handoff/storage-postgres';
import { createRedisStores } from '@handoff/storage-redis';
import { createSqliteStores } from '@handoff/storage-sqlite';
import type { LanguageModel } from 'ai';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Dispatcher } from 'undici';
import { createConfiguredBot } from './bots/configured-bot.js';
import { createRuntimeChannelSink } from './channels/runtime-channel-sink.js';
import { type ChatbotRegistry, createChatbotRegistry } from './chatbots/chatbot-registry.js';
import { defaultChatbotId } from './chatbots/chatbot-settings.js';
import { createChatbotTokenIndex } from './chatbots/chatbot-token-index.js';
import { createHostedChatwoot } from './chatbots/hosted-chatwoot.js';
import { createSecretBox, secretsKeyOf } from './chatbots/secret-box.js';
import { createServedChatbots, type ServedChatbots } from './chatbots/served-chatbots.js';
import { compileRouting } from './config/compile-routing.js';
import { deprecatedSettingWarnings } from './config/deprecated-settings.js';
import { createNoticeTexts } from './config/notice-texts.js';
import type { RuntimeConfig } from './config/runtime-config.js';
import { isLoopbackHost, unsafeSecrets } from './config/secret-strength.js';
import { createAdminAuth } from './http/admin-auth.js';
import { registerAdminBotRoutes } from './http/admin-bot-routes.js';
import { type ApiToken, createBearerAuth } from './http/bearer-auth.js';
import { registerChannelRoutes } from './http/channel-routes.js';
import { registerConsoleRoutes } from './http/console-routes.js';
import { registerFileRoutes } from './http/file-routes.js';
import { handleError } from './http/http-problem.js';
import { buildOpenApiDocument } from './http/openapi-document.js';
import { registerOperationsRoutes } from './http/operations-routes.js';
import type { RouteContext } from './http/route-context.js';
import { registerStrictTextInput, strictTextServerOptions } from './http/strict-text-input.js';
import { findWebRoot, registerWebRoutes } from './http/web-routes.js';
import { registerWebhookRoutes } from './http/webhook-routes.js';
import { createMetrics } from './observability/metrics.js';
import { createAgentBot } from './support/create-agent-bot.js';
import { createSupport, type SupportInstance } from './support/create-support.js';

export interface RuntimeOptions {
  config: RuntimeConfig;
  /** Replaces the configured storage (tests). */
  stores?: HandoffStores;
  /** undici dispatcher for every outgoing request: support system, bot, callbacks. */
  dispatcher?: Dispatcher;
  /** Where adapters read their environment fallbacks. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Delivery worker tuning (tests shorten the backoff). */
  delivery?: HandoffEngineSettings['delivery'];
  /** Where logs go. Default standard output. */
  logStream?: NodeJS.WritableStream;
  /** The built try-it pages. Default: found next to the runtime's build. */
  webRoot?: string;
  /**
   * The language model of a `bot.type: ai-sdk`, instead of the one its provider's package would
   * give (tests with a mock model, or an embedder with a provider of its own).
   */
  languageModel?: LanguageModel;
}

export interface Runtime {
  app: FastifyInstance;
  engine: HandoffEngine;
  /** Internal mode (the runtime as the bot of a support system that owns the channel), when configured. */
  agentBotEngine?: BotHostEngine;
  support: SupportInstance;
  stores: HandoffStores;
  config: RuntimeConfig;
  /** The chatbots served, as data (the admin API's). */
  chatbots: ChatbotRegistry;
  /** The registry's chatbots at work: their engines, built on first use. */
  servedChatbots: ServedChatbots;
  /** The channel API tokens, with whether each was generated for development. */
  tokens: ReadonlyArray<ApiToken & { generated: boolean }>;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

const redactedPaths = [
  'req.headers.authorization',
  'req.headers["api_access_token"]',
  'req.headers["api-access-token"]',
  'req.headers["x-chatwoot-signature"]',
  'req.headers["x-handoff-signature"]',
  'req.headers["x-api-key"]',
  'req.headers["x-rocketchat-livechat-token"]',
  'req.headers["x-auth-token"]',
  '*.token',
  '*.secret',
  '*.userToken',
  '*.agentBotToken',
  '*.agentBotSecret',
  '*.webhookSecret',
  '*.keySecret',
  '*.zendeskApiToken',
  '*.authToken',
  '*.visitorTokenKey',
  '*.platformToken',
  '*.callbackSecret',
  '*.text',
];

/** Logs an engine event; a registry chatbot's carries its id as `bot`. */
function logTelemetry(app: FastifyInstance, telemetry: EngineTelemetryEvent, bot?: string) {
  const event = bot === undefined ? telemetry : { ...telemetry, bot };
  switch (telemetry.type) {
    case 'handoff.requested':
    case 'handoff.transferred':
    case 'session.returned':
      app.log.info(event, event.type);
      return;
    case 'handoff.unavailable':
      app.log.info(event, event.type);
      return;
    case 'handoff.failed':
    case 'availability.failed':
    case 'delivery.parked':
    case 'delivery.unreported':
    case 'webhook.unreadable':
      app.log.warn(event, event.type);
      return;
    default:
      app.log.debug(event, event.type);
  }
}

function logAgentBotTelemetry(app: FastifyInstance, event: BotHostTelemetryEvent) {
  switch (event.type) {
    case 'host.handed-off':
    case 'host.returned':
    case 'host.reply-withheld':
      app.log.info(event, `agent-bot ${event.type}`);
      return;
    case 'host.bot-failed':
    case 'delivery.parked':
    case 'webhook.unreadable':
      app.log.warn(event, `agent-bot ${event.type}`);
      return;
    default:
      app.log.debug(event, `agent-bot ${event.type}`);
  }
}

/** The storage the configuration names; Redis and PostgreSQL are connected to before the runtime goes on. */
async function openStores(storage: RuntimeConfig['storage']): Promise<HandoffStores> {
  switch (storage.type) {
    case 'sqlite':
      return createSqliteStores({ path: storage.path, synchronous: storage.synchronous });
    case 'redis':
      return createRedisStores({
        url: storage.url,
        keyPrefix: storage.keyPrefix,
        leaseMs: storage.leaseMs,
      });
    case 'postgres':
      return createPostgresStores({
        url: storage.url,
        schema: storage.schema,
        tablePrefix: storage.tablePrefix,
        leaseMs: storage.leaseMs,
      });
    case 'memory':
      return createInMemoryStores();
  }
}

/**
 * Builds the whole runtime from a validated configuration: storage, support, bot, engine, HTTP.
 * On a host other machines can reach, a weak or made-up secret stops it, naming the setting.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  if (!isLoopbackHost(options.config.server.host)) {
    const unsafe = unsafeSecrets(options.config);
    if (unsafe.length > 0) {
      throw new ConfigurationError(
        unsafe.map((issue) => ({
          path: issue.path,
          message: `${issue.message} (server.host ${options.config.server.host} is reachable from other machines)`,
        })),
        { source: 'configuration' },
      );
    }
  }
  const hosted = options.config.hosted.chatwoot;
  if (hosted !== undefined) {
    const issues = [
      ...(hosted.platformToken === undefined
        ? [
            {
              path: ['hosted', 'chatwoot', 'platformToken'],
              message:
                'is required for hosted Chatwoot: set HANDOFF_CHATWOOT_PLATFORM_TOKEN to the platform app token (super admin console, Platform Apps)',
            },
          ]
        : []),
      ...(options.config.server.publicUrl === undefined
        ? [
            {
              path: ['server', 'publicUrl'],
              message: 'is required for hosted Chatwoot: it is where Chatwoot sends the chatbots’ webhooks',
            },
          ]
        : []),
    ];
    if (issues.length > 0) throw new ConfigurationError(issues, { source: 'configuration' });
  }
  if (options.stores !== undefined) return assembleRuntime(options, options.stores);
  const stores = await openStores(options.config.storage);
  try {
    return await assembleRuntime(options, stores);
  } catch (error) {
    // A runtime that cannot be built releases what it opened (files, Redis connections).
    await stores.close().catch(() => undefined);
    throw error;
  }
}

async function assembleRuntime(options: RuntimeOptions, stores: HandoffStores): Promise<Runtime> {
  const { config } = options;
  const generated = config.auth.tokens.length === 0;
  const tokens = generated
    ? [{ name: 'development', token: randomBytes(24).toString('base64url'), generated: true }]
    : config.auth.tokens.map((token) => ({ ...token, generated: false }));

  const secretsKey = await secretsKeyOf({
    env: options.env ?? process.env,
    loopback: isLoopbackHost(config.server.host),
    installationSecret: (name) => stores.installationSecret(name),
  });
  const router = compileRouting(config.routing);
  const support = await createSupport(config.support, {
    stores,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });

  const app = Fastify({
    logger: {
      level: config.logging.level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      ...(options.logStream === undefined ? {} : { stream: options.logStream }),
    },
    // Requests are logged once, at debug, by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimitBytes,
    ...strictTextServerOptions,
    trustProxy: true,
  });
  app.addHook('onResponse', async (request, reply) => {
    const bot = (request.params as { bot?: unknown } | undefined)?.bot;
    request.log.debug(
      {
        method: request.method,
        url: request.routeOptions.url,
        ...(typeof bot === 'string' ? { bot } : {}),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  for (const warning of [...deprecatedSettingWarnings(config), ...(stores.warnings ?? [])])
    app.log.warn(warning);
  if (secretsKey.generated) {
    app.log.info(
      'HANDOFF_SECRETS_KEY is not set: chatbot secrets are encrypted with a key generated for this installation and kept in its storage (loopback only; set the variable before serving other machines)',
    );
  }
  const chatbots = createChatbotRegistry({
    store: stores.chatbots,
    box: createSecretBox(secretsKey.key),
    config,
  });
  const tokenIndex = createChatbotTokenIndex(chatbots);
  const hub = stores.hub;
  const metrics = createMetrics({ outbox: stores.storage.outbox, connections: () => hub.connections });
  const bot = await createConfiguredBot({
    bot: config.bot,
    router,
    state: stores.botState,
    env: options.env ?? process.env,
    dispatcher: options.dispatcher,
    languageModel: options.languageModel,
  });

  const engine = createHandoffEngine({
    support: support.adapter,
    router,
    bot: bot.connector,
    ...(bot.summarizer === undefined ? {} : { summary: { summarizer: bot.summarizer } }),
    channel: createRuntimeChannelSink({
      mailbox: stores.mailbox,
      hub,
      channels: config.channels,
      dispatcher: options.dispatcher,
    }),
    storage: stores.storage,
    transcript: config.transcript,
    notices: createNoticeTexts(config),
    returnToBotPhrases: config.handoff.returnToBotPhrases,
    noAgent: {
      checkAvailability: config.handoff.checkAvailability,
      waitTimeoutMs: config.handoff.waitTimeoutMs,
    },
    transferLabels: config.handoff.labels,
    ...(config.businessHours === undefined ? {} : { businessHours: config.businessHours }),
    delivery: {
      ...stores.delivery,
      ...options.delivery,
      onError: (error) => app.log.error({ err: error }, 'delivery worker error'),
    },
    onTelemetry: (event) => {
      metrics.onTelemetry(event);
      logTelemetry(app, event);
    },
  });

  const agentBot =
    config.agentBot === undefined
      ? undefined
      : createAgentBot(config.agentBot, {
          ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
          ...(options.env === undefined ? {} : { env: options.env }),
        });
  const agentBotEngine =
    agentBot === undefined || config.agentBot === undefined
      ? undefined
      : createBotHostEngine({
          host: agentBot.adapter,
          bot: bot.connector,
          router,
          storage: stores.botHostStorage(),
          channelId: `agent-bot:${agentBot.name}`,
          labels: config.handoff.labels,
          botTimeoutMs: config.agentBot.botTimeoutMs,
          delivery: {
            ...stores.delivery,
            ...options.delivery,
            onError: (error) => app.log.error({ err: error }, 'agent-bot delivery worker error'),
          },
          onTelemetry: (event) => {
            metrics.onAgentBotTelemetry(event);
            logAgentBotTelemetry(app, event);
          },
        });

  // The in-process system sends its signed webhooks the way a remote one would: through the same
  // verification and durable acceptance as any support webhook.
  const stopWebhooks = support.memory?.subscribe(async (request) => {
    try {
      await engine.receiveWebhook(request);
      metrics.webhookAccepted(support.name);
    } catch (error) {
      app.log.error({ err: error }, 'in-process webhook refused');
    }
  });

  const context: RouteContext = {
    config,
    engine,
    router,
    stores,
    hub,
    auth: createBearerAuth(tokens, {
      rateLimitPerMinute: config.auth.rateLimitPerMinute,
      chatbotOf: (token) => tokenIndex.ownerOf(token),
    }),
    support,
    metrics,
    ...(agentBot === undefined || agentBotEngine === undefined
      ? {}
      : { agentBot: { name: agentBot.name, engine: agentBotEngine } }),
  };
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
  registerStrictTextInput(app);
  const servedChatbots = createServedChatbots({
    registry: chatbots,
    tokenIndex,
    hosted:
      config.hosted.chatwoot === undefined || config.server.publicUrl === undefined
        ? undefined
        : createHostedChatwoot({
            hosted: config.hosted.chatwoot,
            publicUrl: config.server.publicUrl,
            dispatcher: options.dispatcher,
            log: app.log,
          }),
    inProcessClaimed: support.memory !== undefined,
    stores,
    config,
    log: app.log,
    dispatcher: options.dispatcher,
    ...(options.delivery === undefined ? {} : { delivery: options.delivery }),
    onTelemetry: (bot, event) => {
      metrics.onTelemetry(event, bot);
      logTelemetry(app, event, bot);
    },
  });
  registerChannelRoutes(app, { ...context, chatbots: servedChatbots });
  registerWebhookRoutes(app, { ...context, chatbots: servedChatbots });
  registerFileRoutes(app, { ...context, chatbots: servedChatbots });
  registerWebRoutes(app, options.webRoot ?? findWebRoot());
  registerOperationsRoutes(app, context);
  registerAdminBotRoutes(app, {
    chatbots,
    checkSupport: (bot, settings) => servedChatbots.checkSupport(bot, settings),
    provisionSupport: (bot, settings) => servedChatbots.provisionSupport(bot, settings),
    applyChange: (bot, revision, previous) => servedChatbots.apply(bot, revision, previous),
    hostedChatwoot: config.hosted.chatwoot !== undefined,
    teamsOf: async (bot) =>
      bot === defaultChatbotId
        ? support.adapter.listTeams()
        : (await servedChatbots.get(bot)).support.adapter.listTeams(),
    adminAuth: createAdminAuth({
      adminTokens: config.auth.adminTokens,
      channelAuth: context.auth,
      rateLimitPerMinute: config.auth.rateLimitPerMinute,
    }),
  });
  registerConsoleRoutes(app, context);
  app.get('/openapi.json', async () =>
    buildOpenApiDocument({
      serverUrl: config.server.publicUrl,
      supportInstance: support.name,
      agentBotInstance: agentBot?.name,
      console: support.memory !== undefined,
    }),
  );

  let closed = false;
  let catchUpTimer: ReturnType<typeof setInterval> | undefined;
  let catchingUp = false;
  /** Reads back what the default chatbot's webhooks may have missed; failures are logged and counted. */
  const catchUpDefault = async (reason: 'start' | 'interval') => {
    try {
      // Every instance catches up when it starts (what it missed while it was down is its own to
      // recover); after that, with several instances on one storage, one of them per interval.
      if (reason === 'interval' && !(await stores.claimTurn('catch-up', config.support.catchUpIntervalMs)))
        return;
      const result = await engine.catchUp();
      metrics.caughtUp(result.events);
      if (result.conversations > 0) app.log.info({ reason, ...result }, 'caught up with the support system');
    } catch (error) {
      app.log.warn({ err: error, reason }, 'catching up with the support system failed');
    }
  };
  /** The same for the registry's chatbots, each on its own support system and turns. */
  const catchUpRegistry = async (reason: 'start' | 'interval') => {
    // What the chatbots missed while the runtime was down is read back at start; a chatbot whose
    // support system failed is tried again (1, 2, 4, 8 s later), since without an interval nothing
    // else would read it back.
    for (let attempt = 0; attempt < (reason === 'start' ? 5 : 1) && !closed; attempt += 1) {
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, 1_000 * 2 ** (attempt - 1)).unref());
      try {
        const result = await servedChatbots.catchUp(reason, config.support.catchUpIntervalMs);
        metrics.caughtUp(result.events);
        if (result.failed === 0) return;
      } catch (error) {
        app.log.warn({ err: error, reason }, 'catching up the chatbots with their support systems failed');
      }
    }
  };
  /** One run at a time, of `part` or of both. */
  const catchUp = async (reason: 'start' | 'interval', part?: 'default' | 'registry') => {
    if (catchingUp || closed) return;
    catchingUp = true;
    try {
      if (part !== 'registry') await catchUpDefault(reason);
      if (part !== 'default') await catchUpRegistry(reason);
    } finally {
      catchingUp = false;
    }
  };
  return {
    app,
    engine,
    ...(agentBotEngine === undefined ? {} : { agentBotEngine }),
    support,
    stores,
    config,
    chatbots,
    servedChatbots,
    tokens,
    async listen() {
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      // Catch up before the worker applies webhooks stored meanwhile, so messages missed while
      // the runtime was down come first; a slow support system delays the worker by 15 s at most.
      await Promise.race([
        catchUp('start', 'default'),
        new Promise((resolve) => setTimeout(resolve, 15_000).unref()),
      ]);
      engine.start();
      agentBotEngine?.start();
      await servedChatbots.start();
      // The registry's chatbots catch up in the background: there may be many.
      void catchUpRegistry('start');
      if (config.support.catchUpIntervalMs > 0) {
        catchUpTimer = setInterval(() => void catchUp('interval'), config.support.catchUpIntervalMs);
        catchUpTimer.unref();
      }
      return address;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (catchUpTimer !== undefined) clearInterval(catchUpTimer);
      stopWebhooks?.();
      await app.close();
      await engine.stop();
      await agentBotEngine?.stop();
      await servedChatbots.close();
      await support.close();
      await stores.close();
    },
  };
}
