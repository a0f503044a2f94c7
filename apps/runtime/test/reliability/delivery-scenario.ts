import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chatwootSettingsFor, type FakeChatwoot, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { request } from 'undici';
import { startCallbackReceiver, startRuntime } from '../support/runtime-test-kit.js';

export interface DeliveryScenario {
  sessions: number;
  messagesPerSession: number;
  agentRepliesPerSession: number;
  /** Share of calls to Chatwoot and to the channel callback that fail. */
  faultProbability: number;
  seed: number;
  /** Sessions driven at once. */
  concurrency: number;
  /** Longest the whole run may take before it is reported as stuck. */
  timeoutMs: number;
}

export interface DeliveryFigures {
  userMessages: number;
  agentMessages: number;
  faultsInjected: { chatwoot: Record<string, number>; callback: Record<string, number> };
  lost: number;
  duplicated: number;
  reordered: number;
  /** Extra deliveries of one message to the callback (same delivery id; the receiver de-duplicates). */
  callbackRedeliveries: number;
  parked: number;
  maxDelayMs: { toChatwoot: number; toChannel: number };
  durationMs: number;
  /** What went wrong, one line each; empty on success. */
  problems: string[];
}

const callbackSecret = 'scenario-callback-secret-0123';

/** Adjacent pairs out of order in `seen`, against the order of `expected`. */
function inversions(expected: readonly string[], seen: readonly string[]): number {
  const rank = new Map(expected.map((item, index) => [item, index]));
  const ranks = seen.map((item) => rank.get(item)).filter((value): value is number => value !== undefined);
  let count = 0;
  for (let index = 1; index < ranks.length; index += 1)
    if ((ranks[index] ?? 0) < (ranks[index - 1] ?? 0)) count += 1;
  return count;
}

async function agentSays(fake: FakeChatwoot, conversationId: number, text: string) {
  const response = await request(
    `${fake.baseUrl}/api/v1/accounts/${fake.accountId}/conversations/${conversationId}/messages`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        api_access_token: fake.tokens.agent,
        'x-fake-chatwoot-harness': '1',
      },
      body: JSON.stringify({ content: text, message_type: 'outgoing' }),
    },
  );
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`the agent could not reply: HTTP ${response.statusCode}`);
}

async function inBatches<Item>(items: readonly Item[], size: number, work: (item: Item) => Promise<void>) {
  for (let start = 0; start < items.length; start += size)
    await Promise.all(items.slice(start, start + size).map(work));
}

/**
 * Sessions hand off to the fake Chatwoot and exchange messages both ways while a share of the
 * calls to Chatwoot and to the channel callback fail (5xx, bare 429, timeouts, resets, slow and
 * lost answers). Counts what was lost, duplicated or reordered once everything settled.
 */
export async function runDeliveryScenario(scenario: DeliveryScenario): Promise<DeliveryFigures> {
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), 'handoff-scenario-'));
  const fake = await startFakeChatwoot();
  const receiver = await startCallbackReceiver(callbackSecret);
  const runtime = await startRuntime(
    {
      storage: { type: 'sqlite', path: join(directory, 'scenario.db') },
      support: {
        type: 'chatwoot',
        name: 'chatwoot',
        chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 400, rateLimitBackoffMs: 200 },
      },
      channels: { web: { callbackUrl: receiver.url, callbackSecret, callbackTimeoutMs: 400 } },
    },
    { delivery: { backoff: { initialDelayMs: 10, maxDelayMs: 300 }, maxAttempts: 200, leaseMs: 10_000 } },
  );
  const problems: string[] = [];
  try {
    fake.setInbox({ webhookUrl: `${runtime.url}/v1/support/chatwoot/webhook` });
    fake.setRandomFaults({
      probability: scenario.faultProbability,
      kinds: ['server_error', 'rate_limited', 'timeout', 'connection_reset', 'slow', 'lost_answer'],
      seed: scenario.seed,
      slowMs: [50, 700],
    });
    receiver.setRandomFaults({
      probability: scenario.faultProbability,
      seed: scenario.seed + 1,
      slowMs: [50, 700],
    });

    const users = Array.from({ length: scenario.sessions }, (_, index) => `user-${index + 1}`);
    const expectedIncoming = new Map<string, string[]>();
    const expectedReplies = new Map<string, string[]>();
    const postedAt = new Map<string, number>();
    const repliedAt = new Map<string, number>();
    const conversationOf = new Map<string, number>();

    await inBatches(users, scenario.concurrency, async (userId) => {
      const user = runtime.user('web', userId);
      const texts = ['refund', 'agent'];
      for (const text of texts) {
        const response = await user.say(text, { id: `${userId}-${text}` });
        if (response.status !== 200) problems.push(`${userId}: "${text}" answered ${response.status}`);
      }
      for (let index = 1; index <= scenario.messagesPerSession; index += 1) {
        const text = `${userId} message ${index}`;
        texts.push(text);
        const response = await user.say(text, { id: `${userId}-m${index}` });
        postedAt.set(text, Date.now());
        if (response.status !== 200) problems.push(`${userId}: "${text}" answered ${response.status}`);
      }
      expectedIncoming.set(userId, texts);
      // An agent replies once the conversation was handed to the team (pending ones are hidden).
      const deadline = Date.now() + scenario.timeoutMs;
      let conversationId: number | undefined;
      while (Date.now() < deadline) {
        const id = (await user.session()).json.conversationId;
        const conversation = typeof id === 'string' ? fake.conversation(Number(id)) : undefined;
        if (conversation?.status === 'open') {
          conversationId = conversation.displayId;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (conversationId === undefined) {
        problems.push(`${userId}: the conversation never reached the team`);
        return;
      }
      conversationOf.set(userId, conversationId);
      const replies: string[] = [];
      for (let index = 1; index <= scenario.agentRepliesPerSession; index += 1) {
        const text = `reply ${index} to ${userId}`;
        replies.push(text);
        repliedAt.set(text, Date.now());
        await agentSays(fake, conversationId, text);
      }
      expectedReplies.set(userId, replies);
    });

    // Wait until every accepted message arrived (or the run is stuck), noting when each did.
    const seenAt = new Map<string, number>();
    const incomingOf = (userId: string) => {
      const conversationId = conversationOf.get(userId);
      const conversation = conversationId === undefined ? undefined : fake.conversation(conversationId);
      return (conversation?.messages ?? [])
        .filter((message) => message.messageType === 'incoming')
        .map((message) => message.content ?? '');
    };
    const repliesOf = (userId: string) => {
      const unique = new Map<string, string>();
      for (const entry of receiver.received) {
        const message = entry.body.message as { id: string; text: string; kind: string };
        if (entry.body.userId === userId && message.kind === 'agent') unique.set(message.id, message.text);
      }
      return [...unique.values()];
    };
    const settled = () => {
      const now = Date.now();
      let complete = true;
      for (const userId of users) {
        const incoming = incomingOf(userId);
        for (const text of incoming) if (!seenAt.has(text)) seenAt.set(text, now);
        const replies = repliesOf(userId);
        for (const text of replies) if (!seenAt.has(text)) seenAt.set(text, now);
        if ((expectedIncoming.get(userId) ?? []).some((text) => !incoming.includes(text))) complete = false;
        if ((expectedReplies.get(userId) ?? []).some((text) => !replies.includes(text))) complete = false;
      }
      return complete;
    };
    const deadline = started + scenario.timeoutMs;
    while (!settled() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    await runtime.runtime.engine.drain({ timeoutMs: Math.max(1_000, deadline - Date.now()) }).catch(() => {
      problems.push('the outbox did not drain in time');
    });

    let lost = 0;
    let duplicated = 0;
    let reordered = 0;
    for (const userId of users) {
      const contacts = fake.contacts().filter((contact) => contact.identifier === userId);
      if (contacts.length !== 1) problems.push(`${userId}: ${contacts.length} contacts`);
      const conversationId = conversationOf.get(userId);
      const conversation = conversationId === undefined ? undefined : fake.conversation(conversationId);
      const sourceIds = (conversation?.messages ?? [])
        .map((message) => message.sourceId)
        .filter((id) => id != null);
      const repeatedSourceIds = sourceIds.length - new Set(sourceIds).size;
      if (repeatedSourceIds > 0)
        problems.push(`${userId}: ${repeatedSourceIds} messages posted twice in Chatwoot`);
      duplicated += repeatedSourceIds;
      for (const [expected, seen] of [
        [expectedIncoming.get(userId) ?? [], incomingOf(userId)],
        [expectedReplies.get(userId) ?? [], repliesOf(userId)],
      ] as const) {
        const missing = expected.filter((text) => !seen.includes(text));
        lost += missing.length;
        if (missing.length > 0) problems.push(`${userId}: lost ${missing.join(' | ')}`);
        const extra = seen.length - new Set(seen).size;
        duplicated += extra;
        if (extra > 0) problems.push(`${userId}: ${extra} duplicated`);
        const outOfOrder = inversions(expected, seen);
        reordered += outOfOrder;
        if (outOfOrder > 0) problems.push(`${userId}: order ${seen.join(' | ')}`);
      }
    }
    const parked = await runtime.runtime.engine.outbox.listParked();
    for (const item of parked) problems.push(`parked ${item.kind}: ${item.reason}`);
    const deliveryIds = receiver.received.map((entry) => String(entry.headers['x-handoff-delivery']));
    const delay = (sent: Map<string, number>) =>
      Math.max(0, ...[...sent].map(([text, at]) => (seenAt.get(text) ?? Date.now()) - at));
    return {
      userMessages: users.length * (scenario.messagesPerSession + 2),
      agentMessages: users.length * scenario.agentRepliesPerSession,
      faultsInjected: { chatwoot: fake.faultsInjected(), callback: receiver.injected() },
      lost,
      duplicated,
      reordered,
      callbackRedeliveries: deliveryIds.length - new Set(deliveryIds).size,
      parked: parked.length,
      maxDelayMs: { toChatwoot: delay(postedAt), toChannel: delay(repliedAt) },
      durationMs: Date.now() - started,
      problems,
    };
  } finally {
    fake.setRandomFaults(undefined);
    await runtime.close();
    await receiver.close();
    await fake.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The figures as the soak run prints them. */
export function formatDeliveryFigures(figures: DeliveryFigures): string {
  const faults = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ') || 'none';
  return [
    `messages: ${figures.userMessages} user -> Chatwoot, ${figures.agentMessages} agent -> channel`,
    `faults injected: Chatwoot ${faults(figures.faultsInjected.chatwoot)}; callback ${faults(figures.faultsInjected.callback)}`,
    `lost ${figures.lost}, duplicated ${figures.duplicated}, reordered ${figures.reordered}, parked ${figures.parked}`,
    `callback redeliveries (same delivery id, de-duplicated by the receiver): ${figures.callbackRedeliveries}`,
    `maximum delivery delay: ${figures.maxDelayMs.toChatwoot} ms to Chatwoot, ${figures.maxDelayMs.toChannel} ms to the channel`,
    `duration: ${(figures.durationMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
