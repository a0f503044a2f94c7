import { chatwootAgentBotSettingsFields, chatwootSettingsFields } from '@handoff/chatwoot';
import { businessHoursSchema, routingPrioritySchema } from '@handoff/core';
import { intercomSettingsFields } from '@handoff/intercom';
import { rocketChatBotAgentSettingsFields, rocketChatSettingsFields } from '@handoff/rocketchat';
import { sunshineSettingsFields, sunshineSwitchboardBotSettingsFields } from '@handoff/sunshine';
import { z } from 'zod';
import { localesSchema, noticeTextsSchema } from './notice-text-schemas.js';

const instanceName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'must be lower-case letters, digits and dashes (it is part of the webhook URL)',
  );

const channelSchema = z
  .object({
    /** Outbound messages are also POSTed here, signed, and retried until accepted. */
    callbackUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** HMAC-SHA256 key of the callback signatures. Required with callbackUrl. */
    callbackSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    /** A callback without an answer after this long is retried. */
    callbackTimeoutMs: z.number().int().positive().max(60_000).default(10_000),
    /** Notice texts for this channel, replacing the global ones. */
    notices: noticeTextsSchema.optional(),
    /** Notice texts for this channel by the user's locale. */
    locales: localesSchema.optional(),
  })
  .superRefine((channel, context) => {
    if (channel.callbackUrl !== undefined && channel.callbackSecret === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['callbackSecret'],
        message: 'is required with callbackUrl (callbacks are signed)',
      });
    }
  });

/**
 * Catching up: at start and then every interval, conversations a human holds are read back from
 * the support system, so agent messages whose webhooks never arrived (the runtime was down;
 * Chatwoot does not retry) still reach the user. 0 turns the periodic run off.
 */
const catchUpIntervalMs = z.number().int().min(0).default(300_000);

/** The in-process support system (@handoff/memory), for trying things out and for tests. */
const inProcessSupportFields = {
  /** Part of its webhook URL; `memory` for configurations from before the type was renamed. */
  name: instanceName.default('memory'),
  catchUpIntervalMs,
  /**
   * The in-process system's API token and webhook secret. Not set: generated at random once per
   * installation and kept in the storage (the same on every restart).
   */
  apiToken: z.string().min(16, 'must be at least 16 characters').optional(),
  webhookSecret: z.string().min(16, 'must be at least 16 characters').optional(),
  teams: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).optional(),
  agents: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string().min(1),
        teamIds: z.array(z.string()),
        available: z.boolean().default(true),
      }),
    )
    .optional(),
};

const inProcessSupportSchema = z.object({ type: z.literal('in-process'), ...inProcessSupportFields });

/**
 * `support.type: memory`, the in-process system's old name (easily taken for `storage.type:
 * memory`): still accepted, read as `in-process`, and the runtime warns at start.
 */
const deprecatedMemorySupportSchema = z
  .object({ type: z.literal('memory'), ...inProcessSupportFields })
  .transform((support) => ({ ...support, type: 'in-process' as const, deprecatedType: 'memory' as const }));

const chatwootSupportSchema = z.object({
  type: z.literal('chatwoot'),
  name: instanceName.default('chatwoot'),
  catchUpIntervalMs,
  /** Missing settings come from the CHATWOOT_* environment variables. */
  chatwoot: chatwootSettingsFields.partial().default({}),
});

const intercomSupportSchema = z.object({
  type: z.literal('intercom'),
  name: instanceName.default('intercom'),
  catchUpIntervalMs,
  /** Missing settings come from the INTERCOM_* environment variables. */
  intercom: intercomSettingsFields.partial().default({}),
});

const sunshineSupportSchema = z.object({
  type: z.literal('sunshine'),
  name: instanceName.default('sunshine'),
  catchUpIntervalMs,
  /** Missing settings come from the SUNSHINE_* and ZENDESK_* environment variables. */
  sunshine: sunshineSettingsFields.partial().default({}),
});

const rocketChatSupportSchema = z.object({
  type: z.literal('rocketchat'),
  name: instanceName.default('rocketchat'),
  catchUpIntervalMs,
  /**
   * Missing settings come from the ROCKETCHAT_* environment variables (ROCKETCHAT_AUTH_TOKEN,
   * ROCKETCHAT_WEBHOOK_SECRET, ROCKETCHAT_VISITOR_TOKEN_KEY, ...).
   */
  rocketchat: rocketChatSettingsFields.partial().default({}),
});

/**
 * Longest the bot may take for one message before the contact goes to the default team. The
 * system's own webhook timeout does not apply: webhooks are acknowledged once stored.
 */
const botTimeoutMs = z.number().int().positive().max(60_000).default(10_000);

/**
 * Internal mode: the support system owns the channel (widget, WhatsApp, email, ...) and POSTs the
 * bot's webhooks to `/v1/agent-bot/{name}/webhook`; the configured bot answers while it holds a
 * conversation and hands off through the same routing. Chatwoot: an agent bot on inboxes.
 * Sunshine Conversations (Zendesk messaging): a switchboard integration. Rocket.Chat Omnichannel:
 * a bot user that is an agent of the departments whose rooms it serves.
 */
const agentBotSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('chatwoot'),
    name: instanceName.default('chatwoot'),
    /** Missing settings come from the CHATWOOT_* environment variables (CHATWOOT_AGENT_BOT_TOKEN, ...). */
    chatwoot: chatwootAgentBotSettingsFields.partial().default({}),
    botTimeoutMs,
  }),
  z.object({
    type: z.literal('sunshine'),
    name: instanceName.default('sunshine'),
    /** Missing settings come from the SUNSHINE_* and ZENDESK_* environment variables. */
    sunshine: sunshineSwitchboardBotSettingsFields.partial().default({}),
    botTimeoutMs,
  }),
  z.object({
    type: z.literal('rocketchat'),
    name: instanceName.default('rocketchat'),
    /**
     * Missing settings come from the environment: ROCKETCHAT_BASE_URL, ROCKETCHAT_BOT_USER_ID,
     * ROCKETCHAT_BOT_AUTH_TOKEN, ROCKETCHAT_WEBHOOK_SECRET, ...
     */
    rocketchat: rocketChatBotAgentSettingsFields.partial().default({}),
    botTimeoutMs,
  }),
]);

const demoBotSchema = z.object({ type: z.literal('demo') });
const httpBotSchema = z.object({
  type: z.literal('http'),
  /** The bot's endpoint; it receives each user message and answers with replies. */
  url: z.url({ protocol: /^https?$/ }),
  timeoutMs: z.number().int().positive().max(60_000).default(10_000),
  /** When set, requests to the bot are signed like callbacks (X-Handoff-Signature). */
  secret: z.string().min(16).optional(),
});

/**
 * An LLM agent on the Vercel AI SDK: the model answers, hands off by calling the handoff tool (the
 * routing topics are the teams it may name), and a reply promising a person without the tool is
 * caught. The provider's package is an optional dependency, installed where it is used.
 */
const aiSdkBotSchema = z.object({
  type: z.literal('ai-sdk'),
  /** `openai-compatible`: any server speaking OpenAI's chat completions at `baseUrl` (vLLM, Ollama, a gateway). */
  provider: z.enum(['openai', 'anthropic', 'google', 'openai-compatible']),
  /** The provider's model id, e.g. `gpt-4.1-mini`, `claude-sonnet-4-5`, `gemini-2.5-flash`. */
  model: z.string().trim().min(1).max(200),
  /** The environment variable holding the API key. Default: the provider's usual one (OPENAI_API_KEY, ...). */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
  /** The provider's API address, for a proxy or an OpenAI-compatible server (required for that one). */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The bot's instructions; how to hand off is added to them. */
  system: z.string().max(20_000).optional(),
  /** Longest the model may take for one message, tool round trips included. */
  timeoutMs: z.number().int().positive().max(120_000).default(30_000),
  /** Whether the agents' context note opens with a summary the same model writes. */
  summarize: z.boolean().default(true),
  /** Whether a reply promising a person without the handoff tool is asked again, then handed off. */
  promiseCheck: z.boolean().default(true),
});

/** The whole runtime configuration: one file (JSON or YAML) plus environment overrides. */
export const runtimeConfigSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(3000),
        /** How the runtime is reached from outside (printed, used in the console). */
        publicUrl: z.url().optional(),
        /** Largest request body accepted, in bytes. */
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .max(50 * 1024 * 1024)
          .default(1024 * 1024),
      })
      .prefault({}),
    auth: z
      .object({
        /** Bearer tokens of the channel API. Without any, a development token is generated and printed. */
        tokens: z
          .array(
            z.object({
              name: z.string().min(1),
              token: z.string().min(16, 'must be at least 16 characters'),
              /** Channels this token may use; omitted: all. */
              channels: z.array(z.string().min(1)).optional(),
            }),
          )
          .default([]),
        /**
         * Bearer tokens of the admin API (`/v1/admin/bots`: chatbots as data), a scope of their own:
         * channel tokens cannot reach it, and these cannot use the channel API. Without any, the
         * admin API of chatbots refuses every request.
         */
        adminTokens: z
          .array(
            z.object({
              name: z.string().min(1),
              token: z.string().min(16, 'must be at least 16 characters'),
            }),
          )
          .default([]),
        /** Channel API requests per minute and token; more get 429 with Retry-After. */
        rateLimitPerMinute: z.number().int().positive().default(1_200),
      })
      .prefault({}),
    /**
     * Support systems the platform runs for its organizations: a chatbot that turns on Chatwoot
     * with no settings gets its organization's account provisioned here (`hosted.chatwoot`).
     */
    hosted: z
      .object({
        chatwoot: z
          .object({
            /** The Chatwoot installation, e.g. `https://chatwoot.example.com` (its Platform API). */
            baseUrl: z.url({ protocol: /^https?$/ }),
            /** The platform app's token: from HANDOFF_CHATWOOT_PLATFORM_TOKEN, never in the file. */
            platformToken: z.string().min(1).optional(),
            requestTimeoutMs: z.number().int().positive().max(60_000).default(10_000),
          })
          .optional(),
      })
      .prefault({}),
    /** The chatbots of the admin API (`/v1/admin/bots`), as the runtime serves them. */
    chatbots: z
      .object({
        /**
         * A chatbot's engine is dropped after this long without a request, a webhook or anything
         * queued in its outbox, and built again on the next one. 0: never dropped.
         */
        idleAfterMs: z.number().int().min(0).default(600_000),
        /**
         * When a chatbot's support moves to another system or inbox (or is turned off), how long
         * its deliveries to the old one may take, before and after its conversations are closed
         * there; what is left then is parked with the reason, never sent to the new one.
         */
        supportChangeDrainMs: z.number().int().min(0).max(600_000).default(15_000),
      })
      .prefault({}),
    storage: z
      .discriminatedUnion('type', [
        z.object({
          type: z.literal('sqlite'),
          path: z.string().min(1).default('.handoff/handoff.db'),
          /** `normal` survives a killed process; `full` also a power loss (an fsync per write). */
          synchronous: z.enum(['normal', 'full']).default('normal'),
        }),
        z.object({ type: z.literal('memory') }),
        z.object({
          type: z.literal('redis'),
          /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. Never logged. */
          url: z
            .string()
            .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL')
            .default('redis://127.0.0.1:6379'),
          /** Prefix of every key, so several deployments can share one Redis. */
          keyPrefix: z
            .string()
            .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore, at most 64')
            .default('handoff'),
          /**
           * How long an instance holds a delivery without renewing it: the deliveries of an instance
           * that died are taken over by another one after at most this long.
           */
          leaseMs: z.number().int().min(1_000).max(600_000).default(15_000),
        }),
        z.object({
          type: z.literal('postgres'),
          /** `postgres://[user:password@]host:port/database`, `?sslmode=` as the server needs. Never logged. */
          url: z.string().regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// or postgresql:// URL'),
          /** The schema of the tables. */
          schema: z
            .string()
            .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower case letters, digits and underscores, at most 63')
            .default('public'),
          /** Prefix of every table name, so several deployments can share one schema. */
          tablePrefix: z
            .string()
            .regex(/^[a-z_][a-z0-9_]{0,29}$/, 'lower case letters, digits and underscores, at most 30')
            .default('handoff'),
          /**
           * How long an instance holds a delivery without renewing it: the deliveries of an instance
           * that died are taken over by another one after at most this long.
           */
          leaseMs: z.number().int().min(1_000).max(600_000).default(15_000),
        }),
      ])
      .prefault({ type: 'sqlite' }),
    bot: z
      .discriminatedUnion('type', [demoBotSchema, httpBotSchema, aiSdkBotSchema])
      .refine(
        (bot) => bot.type !== 'ai-sdk' || bot.provider !== 'openai-compatible' || bot.baseUrl !== undefined,
        {
          message: 'an openai-compatible provider needs baseUrl',
          path: ['baseUrl'],
        },
      )
      .prefault({ type: 'demo' }),
    support: z
      .discriminatedUnion('type', [
        inProcessSupportSchema,
        deprecatedMemorySupportSchema,
        chatwootSupportSchema,
        intercomSupportSchema,
        sunshineSupportSchema,
        rocketChatSupportSchema,
      ])
      .prefault({ type: 'in-process' }),
    /** Internal mode, alongside the channel API: the runtime as the bot of a support system that owns the channel. */
    agentBot: agentBotSchema.optional(),
    routing: routingPrioritySchema,
    transcript: z
      .object({
        mode: z.enum(['on-handoff', 'continuous']).default('on-handoff'),
        maxMessages: z.number().int().positive().max(1_000).default(100),
      })
      .prefault({}),
    channels: z.record(z.string().min(1), channelSchema).default({}),
    /** Notice texts replacing the English defaults, for every channel. */
    notices: noticeTextsSchema.optional(),
    /** Notice texts by the user's locale (from the profile the channel sends), for every channel. */
    locales: localesSchema.optional(),
    handoff: z
      .object({
        /** Ask the support system (or `businessHours`) whether the team can answer before handing over. */
        checkAvailability: z.boolean().default(true),
        /** A user who chose to wait goes back to the bot after this long without an agent; 0: never. */
        waitTimeoutMs: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 3_600_000)
          .default(600_000),
        /** Labels put on the support conversation at transfer, where the system has labels. */
        labels: z.array(z.string().trim().min(1).max(255)).max(20).default(['bot-handoff']),
        /** A whole user message equal to one of these (any case) gives the session back to the bot. */
        returnToBotPhrases: z
          .array(z.string().trim().min(1).max(100))
          .min(1)
          .default(['back to bot', '/bot']),
      })
      .prefault({}),
    files: z
      .object({
        /** Largest file a user or agent may upload (`POST /v1/files`), in bytes. */
        maxBytes: z
          .number()
          .int()
          .positive()
          .max(100 * 1024 * 1024)
          .default(10 * 1024 * 1024),
      })
      .prefault({}),
    /** Opening hours by support-side team id, for support systems whose API does not tell. */
    businessHours: businessHoursSchema.optional(),
    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .prefault({}),
  })
  .superRefine((config, context) => {
    // Hours of a team routing never hands to would never apply: most likely a typo.
    const teams = new Set([
      config.routing.defaultTeam.team,
      ...config.routing.teams.map((entry) => entry.team),
    ]);
    for (const team of Object.keys(config.businessHours?.teams ?? {})) {
      if (!teams.has(team)) {
        context.addIssue({
          code: 'custom',
          path: ['businessHours', 'teams', team],
          message: `no routing entry has team ${team} (known: ${[...teams].join(', ')})`,
        });
      }
    }
  });

export type RuntimeConfigInput = z.input<typeof runtimeConfigSchema>;
export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;
export type ChannelConfig = z.output<typeof channelSchema>;
