import type { BotConnector } from '../contract/bot-connector.js';
import type { BotHostAdapter } from '../contract/bot-host-adapter.js';
import type { NewOutboxItem, Outbox } from '../contract/outbox.js';
import type { SessionStore } from '../contract/session-store.js';
import type { SkillRouter } from '../routing/skill-router.js';
import { type HandoffSession, sessionKey } from '../session/handoff-session.js';
import { createInMemoryStorage } from '../session/in-memory-session-store.js';
import type { BotHostEngineSettings, BotHostTelemetryEvent } from './bot-host-types.js';

const maxUpdateAttempts = 25;

/** What the parts of the host engine share. */
export interface BotHostContext {
  host: BotHostAdapter;
  bot: BotConnector;
  router: SkillRouter;
  sessions: SessionStore;
  outbox: Outbox;
  channelId: string;
  labels: readonly string[];
  botTimeoutMs: number;
  now(): Date;
  generateId(): string;
  telemetry(event: BotHostTelemetryEvent): void;
  keyOf(conversationId: string): string;
  /**
   * Applies `mutate` to the stored session with compare-and-set (re-reading on conflict) and
   * enqueues the items it returns in the same write. `undefined` from `mutate`: nothing to write.
   */
  update(
    key: string,
    mutate: (
      session: HandoffSession | undefined,
    ) => { session: HandoffSession; items?: NewOutboxItem[] } | undefined,
  ): Promise<boolean>;
}

export function createBotHostContext(settings: BotHostEngineSettings, wake: () => void): BotHostContext {
  const storage = settings.storage ?? createInMemoryStorage();
  const channelId = settings.channelId ?? `host:${settings.host.provider}`;
  const now = settings.now ?? (() => new Date());
  return {
    host: settings.host,
    bot: settings.bot,
    router: settings.router,
    sessions: storage.sessions,
    outbox: storage.outbox,
    channelId,
    labels: settings.labels ?? ['bot-handoff'],
    botTimeoutMs: settings.botTimeoutMs ?? 10_000,
    now,
    generateId: settings.generateId ?? (() => globalThis.crypto.randomUUID()),
    telemetry: (event) => settings.onTelemetry?.(event),
    keyOf: (conversationId) => sessionKey(channelId, conversationId),
    async update(key, mutate) {
      for (let attempt = 0; attempt < maxUpdateAttempts; attempt += 1) {
        const stored = await storage.sessions.get(key);
        const outcome = mutate(stored?.session);
        if (outcome === undefined) return false;
        outcome.session.updatedAt = now().toISOString();
        const items = outcome.items ?? [];
        if (await storage.sessions.compareAndSet(key, stored?.version, outcome.session, items)) {
          if (items.length > 0) wake();
          return true;
        }
      }
      throw new Error(`bot session ${key} kept changing under ${maxUpdateAttempts} concurrent updates`);
    },
  };
}
