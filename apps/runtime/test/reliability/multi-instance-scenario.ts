import { seededRandom } from '@handoff/http';
import { agentResolves, agentSays } from './agent-says.js';
import { createChannelClient, userPath } from './channel-client.js';
import { createDeliveryLedger } from './delivery-ledger.js';
import { openReconnectingEventStream, type ReconnectingEventStream } from './reconnecting-event-stream.js';
import { startRoundRobinBalancer } from './round-robin-balancer.js';
import { clusterLeaseMs, clusterToken, startRuntimeCluster } from './runtime-cluster.js';

export interface MultiInstanceScenario {
  /** Runtimes sharing one Redis. */
  instances: number;
  sessions: number;
  messagesPerSession: number;
  agentRepliesPerSession: number;
  /** The instance (0-based) killed with SIGKILL, and not restarted. */
  killInstance: number;
  /** Another instance killed with SIGKILL at the same moment, and started again. */
  restartInstance?: number;
  /**
   * Whether the balancer in front of the webhooks sends a webhook to another instance when the one
   * it picked does not answer. False (a cloud load balancer with a POST): a webhook that reaches a
   * dead instance before the health checks notice is answered 502 and never replayed (Chatwoot does
   * not retry), so only catching up brings its message back. Default true.
   */
  webhookFailover?: boolean;
  /**
   * The user starts a skill before asking for a person, on whichever instance: the bot's dialogue
   * must follow (the handoff goes to the skill's team without asking). Default false.
   */
  startSkillFirst?: boolean;
  /** The agent resolves each conversation right after the last reply: every reply comes before the close notice. */
  resolveAfterReplies?: boolean;
  /**
   * When the kill comes, as the share (0 to 1) of the load's steps done: user messages
   * acknowledged and agent replies sent. Measured by progress, not time, so it lands mid-load on a
   * fast machine and a slow one alike.
   */
  killAtProgress: number;
  /**
   * How long after the kill the channel and the balancer stop sending to the dead instance, as a
   * load balancer's health check would; until then their calls fail there and are repeated on
   * another instance.
   */
  noticeDeathAfterMs: number;
  /** Pause between one session's messages, so the kill lands in the middle of the load. */
  paceMs: number;
  seed: number;
  timeoutMs: number;
}

export interface MultiInstanceFigures {
  instances: number;
  kills: number;
  userMessages: number;
  agentMessages: number;
  lost: number;
  duplicated: number;
  reordered: number;
  problems: string[];
  durationMs: number;
  /** How long the load (hand-offs, user messages, agent replies) took; the kill falls within it. */
  loadMs: number;
  /** Channel calls repeated on another instance after no answer. */
  channelRetries: number;
  /** Event streams opened again after theirs ended (on another instance). */
  eventStreamReconnects: number;
  /** Webhooks the balancer sent to another instance after one gave no answer. */
  webhookFailovers: number;
  /** Messages of one user that reached another (conversation, callback or event stream). */
  crossed: number;
  /** Webhooks the balancer answered 502 (a dead instance, not replayed): only catching up brings them back. */
  webhooksRefused: number;
  /** Callbacks of one message delivered again (same message id; the channel de-duplicates). */
  callbackRedeliveries: number;
  /** The last lines each instance printed (for a report when there are problems). */
  runtimeOutput: string;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Several built runtimes share one real Redis and one fake Chatwoot. A channel spreads its calls
 * over the live instances at random and repeats a call that got no answer on another one; the
 * fake's webhooks go through a round-robin balancer; every user keeps an event stream open on one
 * instance and moves to another when it dies. One instance is killed with SIGKILL in the middle of
 * the load and not restarted. Afterwards every acknowledged user message must be in Chatwoot
 * exactly once, in order, and every agent message must have reached the channel callback and
 * every event stream exactly once, in order (raw events: a repeated id is a duplicate).
 */
export async function runMultiInstanceScenario(
  scenario: MultiInstanceScenario,
): Promise<MultiInstanceFigures> {
  if (scenario.killInstance < 0 || scenario.killInstance >= scenario.instances)
    throw new Error(
      `killInstance ${scenario.killInstance} is not one of the ${scenario.instances} instances`,
    );
  const started = Date.now();
  const cluster = await startRuntimeCluster({ instances: scenario.instances });
  const { fake, receiver } = cluster;
  // The instances calls are sent to: the dead one stays in until its death is noticed.
  const routable = new Set(cluster.instances.map((instance) => instance.url));
  const liveUrls = () => cluster.instances.map((instance) => instance.url).filter((url) => routable.has(url));
  const balancer = await startRoundRobinBalancer(liveUrls, { failover: scenario.webhookFailover ?? true });
  fake.setInbox({ webhookUrl: `${balancer.url}/v1/support/chatwoot/webhook` });
  const ledger = createDeliveryLedger();
  const random = seededRandom(scenario.seed);
  const channel = createChannelClient({
    token: clusterToken,
    timeoutMs: scenario.timeoutMs,
    attemptTimeoutMs: 3_000,
    pickInstance(failed) {
      const live = liveUrls();
      const others = live.filter((url) => url !== failed);
      const pool = others.length > 0 ? others : live;
      const picked = pool[Math.floor(random() * pool.length)];
      if (picked === undefined) throw new Error('no runtime instance is alive');
      return picked;
    },
  });
  const streams = new Map<string, ReconnectingEventStream>();
  let kills = 0;
  let killedAt: number | undefined;
  let loadDone = false;
  let stepsDone = 0;
  const totalSteps = scenario.sessions * (scenario.messagesPerSession + scenario.agentRepliesPerSession);

  try {
    const users = Array.from({ length: scenario.sessions }, (_, index) => `user-${index + 1}`);
    users.forEach((userId, index) => {
      const stream = openReconnectingEventStream({
        path: `${userPath(userId)}/events`,
        token: clusterToken,
        pickInstance(previous) {
          // First on instance (index mod n); after that the next live one in start order.
          const all = cluster.instances.map((instance) => instance.url);
          const from = previous === undefined ? index % all.length : all.indexOf(previous) + 1;
          const live = liveUrls();
          for (let offset = 0; offset < all.length; offset += 1) {
            const candidate = all[(from + offset) % all.length] ?? '';
            if (live.includes(candidate) && (candidate !== previous || live.length === 1)) return candidate;
          }
          return previous ?? all[0] ?? '';
        },
      });
      streams.set(userId, stream);
    });
    await Promise.all([...streams.values()].map((stream) => stream.connected()));

    const loadStarted = Date.now();
    const killer = (async () => {
      while (!loadDone && stepsDone < scenario.killAtProgress * totalSteps) await sleep(5);
      if (loadDone) return;
      const victim = cluster.instances[scenario.killInstance];
      const restarted =
        scenario.restartInstance === undefined ? undefined : cluster.instances[scenario.restartInstance];
      await Promise.all([victim?.kill(), restarted?.kill()]);
      kills += restarted === undefined ? 1 : 2;
      killedAt = Date.now();
      setTimeout(() => routable.delete(victim?.url ?? ''), scenario.noticeDeathAfterMs);
      // The restarted one is down until it is up again; the health checks see both.
      if (restarted !== undefined) {
        setTimeout(() => routable.delete(restarted.url), scenario.noticeDeathAfterMs);
        await restarted.start();
        routable.add(restarted.url);
      }
    })();

    const expectedIncoming = new Map<string, string[]>();
    const agentTexts = new Map<string, string[]>();
    const conversationOf = new Map<string, number>();
    await Promise.all(
      users.map(async (userId) => {
        if (scenario.startSkillFirst) {
          await channel.call('POST', `${userPath(userId)}/messages`, {
            id: `${userId}-skill`,
            text: 'I want a refund',
          });
        }
        const { askedForTeam } = await channel.handOff(userId);
        if (scenario.startSkillFirst && askedForTeam)
          ledger.problem(
            `${userId}: the refund started on one instance was unknown to the one that handed off`,
          );
        const texts = await channel.sendNumbered(
          userId,
          scenario.messagesPerSession,
          scenario.paceMs,
          (text, answer) => {
            if (answer.status !== 200) ledger.problem(`${userId}: "${text}" answered ${answer.status}`);
            stepsDone += 1;
          },
        );
        expectedIncoming.set(userId, texts);
        const conversationId = Number(
          await channel.openConversation(userId, (id) => fake.conversation(Number(id))?.status === 'open'),
        );
        conversationOf.set(userId, conversationId);
        const sent: string[] = [];
        for (let index = 1; index <= scenario.agentRepliesPerSession; index += 1) {
          const text = `reply ${index} to ${userId}`;
          await agentSays(fake, conversationId, text);
          sent.push(text);
          stepsDone += 1;
          await sleep(scenario.paceMs);
        }
        if (scenario.resolveAfterReplies) await agentResolves(fake, conversationId);
        agentTexts.set(userId, sent);
      }),
    );
    loadDone = true;
    const loadMs = Date.now() - loadStarted;
    await killer;
    if (kills === 0)
      ledger.problem(
        `the load ended (${stepsDone} of ${totalSteps} steps) before the kill at ${scenario.killAtProgress * 100}%`,
      );

    const incomingOf = (userId: string) =>
      (fake.conversation(conversationOf.get(userId) ?? -1)?.messages ?? [])
        .filter((message) => message.messageType === 'incoming')
        .map((message) => message.content ?? '');
    const callbacksOf = (userId: string) =>
      receiver.received
        .filter((entry) => entry.body.userId === userId)
        .map((entry) => entry.body.message as { id: string; text: string; kind: string })
        .filter((message) => message.kind === 'agent');
    const callbackRepliesOf = (userId: string) => {
      const unique = new Map<string, string>();
      for (const message of callbacksOf(userId)) unique.set(message.id, message.text);
      return [...unique.values()];
    };
    const streamedMessagesOf = (userId: string) =>
      (streams.get(userId)?.events ?? [])
        .filter((event) => event.event === 'message')
        .map((event) => event.data as { id: string; text: string; kind: string });
    const streamedRepliesOf = (userId: string) =>
      streamedMessagesOf(userId)
        .filter((message) => message.kind === 'agent')
        .map((message) => message.text);
    const settled = () =>
      users.every((userId) => {
        const incoming = incomingOf(userId);
        const callbacks = callbackRepliesOf(userId);
        const streamed = streamedRepliesOf(userId);
        return (
          (expectedIncoming.get(userId) ?? []).every((text) => incoming.includes(text)) &&
          (agentTexts.get(userId) ?? []).every((text) => callbacks.includes(text) && streamed.includes(text))
        );
      });
    const deadline = started + scenario.timeoutMs;
    while (!settled() && Date.now() < deadline) await sleep(50);
    // Late repeats come once the dead instance's leases ran out and catching up ran: wait for them.
    const quietUntil = Math.max(Date.now() + 500, (killedAt ?? 0) + clusterLeaseMs + 2_000);
    await sleep(quietUntil - Date.now());

    let callbackRedeliveries = 0;
    let crossed = 0;
    for (const userId of users) {
      const expected = expectedIncoming.get(userId) ?? [];
      const replies = agentTexts.get(userId) ?? [];
      ledger.compare(
        userId,
        'to Chatwoot',
        expected,
        incomingOf(userId).filter((text) => expected.includes(text)),
      );
      ledger.compare(userId, 'to the channel callback', replies, callbackRepliesOf(userId));
      callbackRedeliveries += callbacksOf(userId).length - callbackRepliesOf(userId).length;
      ledger.compare(userId, 'over server-sent events', replies, streamedRepliesOf(userId));
      if (scenario.resolveAfterReplies) {
        // The agent's replies first, then "the agent closed the conversation": on both paths.
        const callbackOrder = receiver.received
          .filter((entry) => entry.body.userId === userId)
          .map((entry) => entry.body.message as { text: string; kind: string; notice?: string })
          .map((message) => (message.notice === 'agentClosed' ? 'closed' : message.text));
        const streamOrder = streamedMessagesOf(userId).map((message) =>
          (message as { notice?: string }).notice === 'agentClosed' ? 'closed' : message.text,
        );
        for (const [path, order] of [
          ['the channel callback', callbackOrder],
          ['server-sent events', streamOrder],
        ] as const) {
          const closedAt = order.indexOf('closed');
          const lastReply = Math.max(...replies.map((text) => order.lastIndexOf(text)));
          if (closedAt === -1) ledger.problem(`${userId}: no "agent closed" notice over ${path}`);
          else if (lastReply > closedAt)
            ledger.problem(
              `${userId}: a reply came after the "agent closed" notice over ${path}: ${order.join(' | ')}`,
            );
        }
      }
      // Bot and system messages on the stream count too: an id seen twice is a duplicate.
      const otherIds = streamedMessagesOf(userId)
        .filter((message) => message.kind !== 'agent')
        .map((message) => message.id);
      ledger.duplicated(
        otherIds.length - new Set(otherIds).size,
        `${userId}: a bot or system message came twice over server-sent events: ${otherIds.join(' | ')}`,
      );
      const sourceIds = (fake.conversation(conversationOf.get(userId) ?? -1)?.messages ?? [])
        .map((message) => message.sourceId)
        .filter((id) => id != null);
      ledger.duplicated(
        sourceIds.length - new Set(sourceIds).size,
        `${userId}: a message was posted twice in Chatwoot (source ids ${sourceIds.join(', ')})`,
      );
      // Isolation, both ways: nothing of another user in this one's conversation, callbacks or stream.
      const foreign = [
        ...incomingOf(userId),
        ...callbacksOf(userId).map((message) => message.text),
        ...streamedMessagesOf(userId).map((message) => message.text),
      ].filter((text) => /\buser-\d+\b/.test(text) && !new RegExp(`\\b${userId}\\b`).test(text));
      crossed += foreign.length;
      if (foreign.length > 0) ledger.problem(`${userId}: got other users' messages: ${foreign.join(' | ')}`);
      const contacts = fake.contacts().filter((contact) => contact.identifier === userId).length;
      if (contacts !== 1) ledger.problem(`${userId}: ${contacts} contacts in Chatwoot`);
    }
    const tally = ledger.tally();
    return {
      instances: scenario.instances,
      kills,
      userMessages: users.length * scenario.messagesPerSession,
      agentMessages: users.length * scenario.agentRepliesPerSession,
      lost: tally.lost,
      duplicated: tally.duplicated,
      reordered: tally.reordered,
      problems: tally.problems,
      durationMs: Date.now() - started,
      loadMs,
      channelRetries: channel.retries(),
      eventStreamReconnects: [...streams.values()].reduce(
        (sum, stream) => sum + Math.max(0, stream.connections() - 1),
        0,
      ),
      webhookFailovers: balancer.failovers(),
      webhooksRefused: balancer.refusals(),
      crossed,
      callbackRedeliveries,
      runtimeOutput: cluster.outputs(),
    };
  } catch (error) {
    ledger.problem(`${(error as Error).message}\n${cluster.outputs()}`);
    throw new Error(ledger.tally().problems.join('\n'));
  } finally {
    loadDone = true;
    await Promise.all([...streams.values()].map((stream) => stream.close()));
    await balancer.close();
    await cluster.close();
  }
}
