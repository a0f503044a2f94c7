// The chatbots the runtime serves, as data: created, read, updated and deleted through the admin API.
import {
  type ChatbotRecord,
  type ChatbotStore,
  ConfigurationError,
  createSkillRouter,
  formatConfigurationPath,
  routingPrioritySchema,
  type Team,
} from '@handoff/core';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { HttpProblem, parseRequest } from '../http/http-problem.js';
import { withSafeStrings } from '../http/safe-text.js';
import {
  type ChatbotSettings,
  chatbotSettingsSchema,
  defaultChatbotId,
  isSecretField,
  newChatbotSchema,
} from './chatbot-settings.js';
import type { SecretBox } from './secret-box.js';

/** A chatbot as the admin API answers it: every secret replaced by `{ "set": true }`. */
export interface ChatbotView {
  id: string;
  /** Changes with every update; send it back as `If-Match` to update only what you read. */
  revision: number;
  /** `configuration`: the chatbot of the configuration file (read-only here); `admin`: created here. */
  source: 'configuration' | 'admin';
  name: string;
  bot: unknown;
  channels: unknown;
  support: unknown;
  routing: unknown;
  createdAt?: string;
  updatedAt?: string;
}

/** What is stored per chatbot: its settings with every secret sealed. */
interface StoredChatbot {
  settings: ChatbotSettings;
  createdAt: string;
  updatedAt: string;
}

type Json = unknown;

/** `value` with every secret field's string replaced by what `replace` makes of it. */
function mapSecrets(value: Json, replace: (secret: string) => Json): Json {
  if (Array.isArray(value)) return value.map((item) => mapSecrets(item, replace));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      isSecretField(key) && typeof item === 'string' ? replace(item) : mapSecrets(item, replace),
    ]),
  );
}

/** A secret as answered: `{ "set": true }`, which an update may send back to keep it. */
const isSetMarker = (value: Json) =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length === 1 &&
  (value as { set?: unknown }).set === true;

/**
 * `input` with the secrets of `previous` wherever `input` has the object around a secret but
 * leaves the secret out (or sends back `{ "set": true }`).
 */
function keepOmittedSecrets(input: Json, previous: Json): Json {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  if (typeof previous !== 'object' || previous === null || Array.isArray(previous)) return input;
  const merged: Record<string, Json> = { ...(input as Record<string, Json>) };
  for (const [key, item] of Object.entries(previous)) {
    if (isSecretField(key) && typeof item === 'string') {
      if (!(key in merged) || isSetMarker(merged[key])) merged[key] = item;
    } else if (key in merged) merged[key] = keepOmittedSecrets(merged[key], item);
  }
  return merged;
}

/** A 400 naming each field of `issues`. */
function invalid(issues: Array<{ path: string; message: string }>): HttpProblem {
  return new HttpProblem(400, 'invalid_request', `${issues[0]?.path}: ${issues[0]?.message}`, issues);
}

/** Throws a 400 unless `routing` compiles (one team per skill, well-formed skills); fields under `prefix`. */
function checkRoutingCompiles(routing: ChatbotSettings['routing'], prefix: Array<string | number>) {
  try {
    createSkillRouter(routing);
  } catch (error) {
    if (!ConfigurationError.isInstance(error)) throw error;
    throw invalid(
      error.issues.map((issue) => ({
        path: formatConfigurationPath([...prefix, ...issue.path]),
        message: issue.message,
      })),
    );
  }
}

/** The settings, once their routing compiles; else a 400 naming the entry. */
function checkedRouting<Parsed extends { routing: ChatbotSettings['routing'] }>(parsed: Parsed): Parsed {
  checkRoutingCompiles(parsed.routing, ['routing']);
  return parsed;
}

/** Throws a 400 naming every team of `routing` the support system does not have, with the valid ones. */
export function checkTeamsExist(
  routing: ChatbotSettings['routing'],
  teams: readonly Team[],
  /** Put before each field's path (`routing.` in a whole chatbot). */
  prefix = '',
) {
  const known = new Set(teams.map((team) => team.id));
  const valid = teams.map((team) => `${team.id} (${team.name})`).join(', ') || 'none';
  const issues = [
    { path: 'defaultTeam', team: routing.defaultTeam.team },
    ...routing.teams.map((entry, index) => ({ path: `teams[${index}].team`, team: entry.team })),
  ]
    .filter((entry) => !known.has(entry.team))
    .map((entry) => ({
      path: `${prefix}${entry.path}`,
      message: `the support system has no team ${entry.team}; valid: ${valid}`,
    }));
  if (issues.length > 0) throw invalid(issues);
}

/**
 * Whether a write goes through the support check: support on, or a hosted Chatwoot with no account
 * yet (choosing it provisions the account, so its teams can be created and routed to before support
 * is turned on).
 */
const needsCheck = (settings: ChatbotSettings) =>
  settings.supportEnabled ||
  (settings.support.type === 'chatwoot' && settings.support.chatwoot === undefined);

/**
 * Checks settings that leave support on against the support system before they are stored (a 400
 * naming the field when refused). `previous`: the settings before an update. It may answer the
 * settings to store instead (with what registering the webhook gave, say).
 */
export type SupportCheck = (
  id: string,
  settings: ChatbotSettings,
  previous?: ChatbotSettings,
) => Promise<ChatbotSettings | undefined>;

/** A routing priority, the body of `PUT /v1/admin/bots/{bot}/routing`. */
export const routingBodySchema = withSafeStrings(routingPrioritySchema.strict());

const redacted = (value: Json) => mapSecrets(value, () => ({ set: true }));

export interface ChatbotRegistrySettings {
  store: ChatbotStore;
  box: SecretBox;
  /** The configuration file's chatbot, `default`. */
  config: RuntimeConfig;
  now?: () => Date;
}

/**
 * Chatbots over the chatbot store: each validated (a 400 names the field), its secrets sealed
 * before it is stored and never answered, written by compare-and-set on its revision. The
 * configuration file's chatbot `default` is listed beside them and cannot be changed here.
 */
export function createChatbotRegistry(settings: ChatbotRegistrySettings) {
  const { store, box, config } = settings;
  const now = () => (settings.now?.() ?? new Date()).toISOString();

  const configuredView: ChatbotView = {
    id: defaultChatbotId,
    revision: 0,
    source: 'configuration',
    name: 'default',
    bot: redacted(config.bot),
    channels: redacted(
      Object.fromEntries(
        Object.entries(config.channels).map(([id, channel]) => [
          id,
          {
            ...(channel.callbackUrl === undefined ? {} : { callbackUrl: channel.callbackUrl }),
            ...(channel.callbackSecret === undefined ? {} : { callbackSecret: channel.callbackSecret }),
          },
        ]),
      ),
    ),
    support: { type: config.support.type, name: config.support.name },
    routing: config.routing,
  };

  const storedOf = (record: ChatbotRecord) => JSON.parse(record.document) as StoredChatbot;
  const viewOf = (record: ChatbotRecord): ChatbotView => {
    const stored = storedOf(record);
    return {
      id: record.id,
      revision: record.revision,
      source: 'admin',
      ...(redacted(stored.settings) as ChatbotSettings),
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
    };
  };
  const sealed = (chatbotSettings: ChatbotSettings) =>
    mapSecrets(chatbotSettings, (secret) => box.seal(secret)) as ChatbotSettings;
  const opened = (chatbotSettings: ChatbotSettings) =>
    mapSecrets(chatbotSettings, (secret) =>
      box.isSealed(secret) ? box.open(secret) : secret,
    ) as ChatbotSettings;

  const notFound = (id: string) => new HttpProblem(404, 'not_found', `no chatbot ${id}`);
  const exists = (id: string) => new HttpProblem(409, 'conflict', `a chatbot ${id} exists already`);
  const readOnly = () =>
    new HttpProblem(
      409,
      'read_only',
      `the chatbot ${defaultChatbotId} is defined by the configuration file; change it there`,
    );
  const stale = (id: string, current: number) =>
    new HttpProblem(
      409,
      'conflict',
      `chatbot ${id} is at revision ${current}, not the one given in If-Match; read it again`,
    );

  return {
    async list(options: { after?: string; limit?: number } = {}): Promise<ChatbotView[]> {
      const records = await store.list(options);
      const views = records.map(viewOf);
      const after = options.after ?? '';
      const limit = options.limit ?? Number.POSITIVE_INFINITY;
      const last = views.at(-1)?.id;
      if (
        defaultChatbotId > after &&
        (views.length < limit || (last !== undefined && defaultChatbotId < last))
      ) {
        views.push(configuredView);
        views.sort((left, right) => (left.id < right.id ? -1 : 1));
      }
      return views.slice(0, limit);
    },

    async get(id: string): Promise<ChatbotView> {
      if (id === defaultChatbotId) return configuredView;
      const record = await store.get(id);
      if (record === undefined) throw notFound(id);
      return viewOf(record);
    },

    /** The chatbot's settings with its secrets, for the runtime to run it; undefined: none. */
    async settings(id: string): Promise<{ revision: number; settings: ChatbotSettings } | undefined> {
      const record = await store.get(id);
      return record === undefined
        ? undefined
        : { revision: record.revision, settings: opened(storedOf(record).settings) };
    },

    async create(input: unknown, check?: SupportCheck): Promise<ChatbotView> {
      const { id, ...parsed } = checkedRouting(parseRequest(newChatbotSchema, input, 'body'));
      if (id === defaultChatbotId) throw readOnly();
      if ((await store.get(id)) !== undefined) throw exists(id);
      const chatbotSettings = needsCheck(parsed) ? ((await check?.(id, parsed)) ?? parsed) : parsed;
      const at = now();
      const document: StoredChatbot = { settings: sealed(chatbotSettings), createdAt: at, updatedAt: at };
      const write = await store.put(id, JSON.stringify(document), 0);
      if (!write.written) throw exists(id);
      return viewOf(write.record);
    },

    /** Replaces the chatbot's settings; a secret left out keeps its stored value. */
    async update(
      id: string,
      input: unknown,
      expectedRevision?: number,
      /** Run before every write that leaves support on, or chooses hosted Chatwoot (given the settings before it). */
      check?: SupportCheck,
    ): Promise<ChatbotView> {
      if (id === defaultChatbotId) throw readOnly();
      for (let attempt = 0; ; attempt++) {
        const record = await store.get(id);
        if (record === undefined) {
          // The body is judged first, so a bad one is a 400 whether or not the chatbot exists.
          parseRequest(chatbotSettingsSchema, input, 'body');
          throw notFound(id);
        }
        const stored = storedOf(record);
        const merged = keepOmittedSecrets(input, opened(stored.settings));
        const parsed = checkedRouting(parseRequest(chatbotSettingsSchema, merged, 'body'));
        if (expectedRevision !== undefined && expectedRevision !== record.revision)
          throw stale(id, record.revision);
        const previous = opened(stored.settings);
        const chatbotSettings = needsCheck(parsed)
          ? ((await check?.(id, parsed, previous)) ?? parsed)
          : parsed;
        const document: StoredChatbot = {
          settings: sealed(chatbotSettings),
          createdAt: stored.createdAt,
          updatedAt: now(),
        };
        const write = await store.put(id, JSON.stringify(document), record.revision);
        if (write.written) return viewOf(write.record);
        if (write.current === undefined) throw notFound(id);
        if (expectedRevision !== undefined || attempt >= 3) throw stale(id, write.current.revision);
      }
    },

    /**
     * Replaces the chatbot's routing at once, checked for shape and against the teams its support
     * system has (`teamsOf`, asked only once the body is valid). Sessions handed off keep their team.
     */
    async replaceRouting(
      id: string,
      input: unknown,
      options: { expectedRevision?: number | undefined; teamsOf: () => Promise<readonly Team[]> },
    ): Promise<ChatbotView> {
      const routing = parseRequest(routingBodySchema, input, 'body');
      checkRoutingCompiles(routing, []);
      if (id === defaultChatbotId) throw readOnly();
      const record = await store.get(id);
      if (record === undefined) throw notFound(id);
      if (options.expectedRevision !== undefined && options.expectedRevision !== record.revision)
        throw stale(id, record.revision);
      checkTeamsExist(routing, await options.teamsOf());
      const stored = storedOf(record);
      const document: StoredChatbot = {
        ...stored,
        settings: { ...stored.settings, routing },
        updatedAt: now(),
      };
      const write = await store.put(id, JSON.stringify(document), record.revision);
      if (write.written) return viewOf(write.record);
      throw stale(id, write.current?.revision ?? 0);
    },

    async remove(id: string, expectedRevision?: number): Promise<void> {
      if (id === defaultChatbotId) throw readOnly();
      if (await store.delete(id, expectedRevision)) return;
      const current = await store.get(id);
      if (current === undefined) throw notFound(id);
      throw stale(id, current.revision);
    },
  };
}

export type ChatbotRegistry = ReturnType<typeof createChatbotRegistry>;
