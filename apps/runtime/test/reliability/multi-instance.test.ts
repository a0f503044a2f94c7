import { describe, expect, it } from 'vitest';
import { agentSays } from './agent-says.js';
import { createChannelClient, userPath } from './channel-client.js';
import { expectEveryMessageOnceInOrderToItsUser } from './delivery-expectations.js';
import {
  type MultiInstanceFigures,
  type MultiInstanceScenario,
  runMultiInstanceScenario,
} from './multi-instance-scenario.js';
import { openReconnectingEventStream } from './reconnecting-event-stream.js';
import { clusterToken, startRuntimeCluster } from './runtime-cluster.js';

const load: Omit<MultiInstanceScenario, 'instances' | 'seed'> = {
  sessions: 8,
  messagesPerSession: 10,
  agentRepliesPerSession: 5,
  killInstance: 0,
  killAtProgress: 0.4,
  noticeDeathAfterMs: 500,
  paceMs: 100,
  timeoutMs: 40_000,
};

function report(figures: MultiInstanceFigures): void {
  const { runtimeOutput, problems, ...counts } = figures;
  console.info(JSON.stringify({ ...counts, problems }));
  if (problems.length > 0) console.info(runtimeOutput);
}

function expectExactlyOnceInOrder(figures: MultiInstanceFigures, kills = 1): void {
  expectEveryMessageOnceInOrderToItsUser(figures);
  expect(figures.kills).toBe(kills);
}

describe('several runtime instances sharing one Redis', () => {
  it('two instances, one killed with SIGKILL mid-load: every message exactly once, in order', async () => {
    const figures = await runMultiInstanceScenario({ ...load, instances: 2, seed: 21 });
    report(figures);
    expectExactlyOnceInOrder(figures);
  }, 55_000);

  it('three instances, one killed with SIGKILL mid-load: every message exactly once, in order', async () => {
    const figures = await runMultiInstanceScenario({
      ...load,
      instances: 3,
      killInstance: 1,
      // Among the agent replies: event streams resume from the mailbox on another instance.
      killAtProgress: 0.8,
      seed: 31,
    });
    report(figures);
    expectExactlyOnceInOrder(figures);
  }, 55_000);

  it('three instances, one killed and restarted, one killed for good, webhooks to a dead instance refused (not replayed): every agent reply once, in order, before the close', async () => {
    const figures = await runMultiInstanceScenario({
      ...load,
      instances: 3,
      killInstance: 1,
      restartInstance: 2,
      killAtProgress: 0.7,
      // The health checks take a while: webhooks meanwhile hit the dead instances and are lost.
      noticeDeathAfterMs: 1_500,
      webhookFailover: false,
      startSkillFirst: true,
      resolveAfterReplies: true,
      seed: 41,
    });
    report(figures);
    // Webhooks really were lost at the dead instances: catching up brought their replies back.
    expect(figures.webhooksRefused).toBeGreaterThan(0);
    expectExactlyOnceInOrder(figures, 2);
  }, 70_000);

  it('an agent message whose webhook reached instance A reaches an event stream open on instance B', async () => {
    const cluster = await startRuntimeCluster({ instances: 2 });
    const [first, second] = cluster.instances;
    if (first === undefined || second === undefined) throw new Error('two instances expected');
    const stream = openReconnectingEventStream({
      path: `${userPath('cross-user')}/events`,
      token: clusterToken,
      pickInstance: () => second.url,
    });
    try {
      cluster.fake.setInbox({ webhookUrl: `${first.url}/v1/support/chatwoot/webhook` });
      const channel = createChannelClient({
        token: clusterToken,
        pickInstance: () => first.url,
        timeoutMs: 10_000,
      });
      await channel.handOff('cross-user');
      const conversationId = Number(
        await channel.openConversation(
          'cross-user',
          (id) => cluster.fake.conversation(Number(id))?.status === 'open',
        ),
      );
      await stream.connected();
      await agentSays(cluster.fake, conversationId, 'hello from instance A');
      const deadline = Date.now() + 5_000;
      const arrived = () => stream.events.filter((event) => event.data.text === 'hello from instance A');
      while (arrived().length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(arrived().map((event) => ({ instance: event.instance, kind: event.data.kind }))).toEqual([
        { instance: second.url, kind: 'agent' },
      ]);
      // Live, not replayed: the stream on B never had to reconnect.
      expect(stream.connections()).toBe(1);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${cluster.outputs()}`);
    } finally {
      await stream.close();
      await cluster.close();
    }
  }, 30_000);
});
