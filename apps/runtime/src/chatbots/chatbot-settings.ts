// What a chatbot is, as the admin API takes it: name, bot connector, channels, support, routing.
import { chatwootSettingsFields } from '@handoff/chatwoot';
import { routingPrioritySchema } from '@handoff/core';
import { intercomSettingsFields } from '@handoff/intercom';
import { rocketChatSettingsFields } from '@handoff/rocketchat';
import { sunshineSettingsFields } from '@handoff/sunshine';
import { z } from 'zod';
import { localesSchema, noticeTextsSchema } from '../config/notice-text-schemas.js';
import { withSafeStrings } from '../http/safe-text.js';

/** A chatbot's id: part of its URLs (`/v1/bots/{bot}/...`). */
export const chatbotIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'must be 1 to 40 lower-case letters, digits and dashes, starting with a letter or digit',
  );

/** The chatbot the configuration file defines; the admin API reads it but does not change it. */
export const defaultChatbotId = 'default';

const secretText = (minimum: number) =>
  z
    .string()
    .min(minimum, `must be at least ${minimum} characters`)
    .max(1_024, 'must be at most 1024 characters');

const chatbotChannelSchema = z
  .strictObject({
    /** The bearer token of this channel's API (write-only). */
    token: secretText(16),
    /** Outbound messages are also POSTed here, signed with callbackSecret. */
    callbackUrl: z
      .url({ protocol: /^https?$/ })
      .max(2_048)
      .optional(),
    /** HMAC-SHA256 key of the callback signatures (write-only). Required with callbackUrl. */
    callbackSecret: secretText(16).optional(),
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

const botConnectorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('demo') }),
  z.strictObject({
    type: z.literal('http'),
    /** The bot's endpoint; it receives each user message and answers with replies. */
    url: z.url({ protocol: /^https?$/ }).max(2_048),
    timeoutMs: z.number().int().positive().max(60_000).default(10_000),
    /** Requests to the bot are signed with it (write-only). */
    secret: secretText(16).optional(),
  }),
]);

const chatbotSupportSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('in-process'),
    /** The in-process system's teams; its token and webhook secret are generated. */
    teams: z
      .array(z.strictObject({ id: z.string().min(1).max(100), name: z.string().min(1).max(200) }))
      .max(100)
      .optional(),
  }),
  z.strictObject({
    type: z.literal('chatwoot'),
    /**
     * The account details. Left out with `hosted.chatwoot` configured: turning support on
     * provisions the organization's account and inbox, and stores what that gave here.
     */
    chatwoot: chatwootSettingsFields.optional(),
    /** Provisioned by the runtime's hosted Chatwoot (set by it; nothing to fill in). */
    hosted: z.boolean().default(false),
    /** What provisioning did last (set by it): the account, and the owners it refused, with why. */
    provisioning: z
      .strictObject({
        accountId: z.number().int().positive(),
        refusedOwners: z.array(z.strictObject({ email: z.string(), reason: z.string() })),
      })
      .optional(),
    /**
     * With `server.publicUrl` set, turning support on registers (or reuses) an account webhook to
     * `<publicUrl>/v1/bots/<bot>/support/webhook` and keeps its secret as `webhookSecret`. It needs
     * an administrator's `userToken`. False: point the inbox's webhook at that URL yourself.
     */
    registerWebhook: z.boolean().default(true),
  }),
  z.strictObject({ type: z.literal('intercom'), intercom: intercomSettingsFields }),
  z.strictObject({ type: z.literal('sunshine'), sunshine: sunshineSettingsFields }),
  z.strictObject({ type: z.literal('rocketchat'), rocketchat: rocketChatSettingsFields }),
]);

/** The organization a chatbot belongs to, as the platform knows it: hosted support is provisioned for it. */
const organizationSchema = z.strictObject({
  id: z.string().min(1).max(255),
  name: z.string().trim().min(1).max(255),
  /** Who gets a login to the organization's support system: only owners whose email is verified. */
  owners: z
    .array(
      z.strictObject({
        email: z.email(),
        name: z.string().trim().min(1).max(255),
        emailVerified: z.boolean(),
      }),
    )
    .min(1)
    .max(50),
});

const chatbotFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** Its organization (needed for hosted support). */
  organization: organizationSchema.optional(),
  bot: botConnectorSchema.default({ type: 'demo' }),
  /** Channels by id, each with its token. */
  channels: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores'),
      chatbotChannelSchema,
    )
    .refine((channels) => Object.keys(channels).length <= 50, 'at most 50 channels'),
  support: chatbotSupportSchema.default({ type: 'in-process' }),
  /**
   * Whether handoffs go to the support system. Off: a handoff request gets `supportOffNotice`;
   * turning it off closes the sessions a human holds (a note for the agent, a notice for the user).
   */
  supportEnabled: z.boolean().default(true),
  supportOffNotice: z
    .string()
    .trim()
    .min(1)
    .max(2_000)
    .default('Nobody from our support team can take this conversation here right now.'),
  routing: routingPrioritySchema,
  /** Notice texts of this chatbot, over the configuration's (`notices` there). */
  notices: noticeTextsSchema.optional(),
  /** Its notice texts by the user's locale, over the configuration's (`locales` there). */
  locales: localesSchema.optional(),
});

/** A chatbot without its id (the body of an update); every string under the text rule. */
export const chatbotSettingsSchema = withSafeStrings(chatbotFields);

/** A new chatbot (the body of a create). */
export const newChatbotSchema = withSafeStrings(chatbotFields.extend({ id: chatbotIdSchema }));

export type ChatbotSettings = z.output<typeof chatbotSettingsSchema>;

/**
 * Whether a field holds a secret: written, never read back (`token`, `userToken`, `webhookSecret`,
 * ..., and Rocket.Chat's `visitorTokenKey`, the key visitor tokens are derived from).
 */
export const isSecretField = (name: string) => /(token|secret|tokenkey)$/i.test(name);
