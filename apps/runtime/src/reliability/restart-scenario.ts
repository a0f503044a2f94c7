import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chatwootSettingsFor, type FakeChatwoot, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { request } from 'undici';
import { seededRandom, startCallbackReceiver } from '../test-support/runtime-test-kit.js';

export const builtRuntime = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface RestartScenario {
  sessions: number;
  messagesPerSession: number;
  agentRepliesPerSession: number;
  /** Time between kills, drawn between these bounds (ms). */
  killEveryMs: readonly [number, number];
  /** Pause between one session's messages, so kills land in the middle of the load. */
  paceMs: number;
  seed: number;
  timeoutMs: number;
}

export interface RestartFigures {
  kills: number;
  userMessages: number;
  agentMessages: number;
  agentMessagesAcknowledged: number;
  /** Agent messages the runtime never acknowledged (it was down) yet delivered by catching up. */
  recoveredByCatchUp: number;
  lost: number;
  duplicated: number;
  reordered: number;
  durationMs: number;
  problems: string[];
}

const token = 'restart-token-0123456789abcdef';
const callbackSecret = 'restart-callback-secret-0123';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The built runtime as a child process, restartable, killed without warning. */
function runtimeProcess(configPath: string, port: number) {
  let child: ChildProcess | undefined;
  let output = '';
  return {
    async start(): Promise<void> {
      output = '';
      const started = spawn(process.execPath, [builtRuntime, '--config', configPath], {
        env: { ...process.env, HANDOFF_PORT: String(port), HANDOFF_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      started.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      started.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      const deadline = Date.now() + 15_000;
      while (!output.includes('Handoff runtime listening')) {
        if (started.exitCode !== null)
          throw new Error(`the runtime exited with ${started.exitCode}: ${output}`);
        if (Date.now() > deadline) throw new Error(`the runtime did not start: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async kill(): Promise<void> {
      const running = child;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    async stop(): Promise<void> {
      const running = child;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
    output: () => output,
  };
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
  const body = (await response.body.json()) as { id: number };
  return body.id;
}

/**
 * Sessions hand off to the fake Chatwoot and exchange messages both ways while the runtime (the
 * built one, as a child process on SQLite) is killed with SIGKILL again and again and restarted.
 * A channel retries a call that got no answer with the same message id, as a real one would.
 * Afterwards every acknowledged user message, and every agent message (those whose webhook hit
 * a dead runtime are read back by catching up), must have been delivered exactly once, in order.
 */
export async function runRestartScenario(scenario: RestartScenario): Promise<RestartFigures> {
  if (!existsSync(builtRuntime)) throw new Error(`build the runtime first: ${builtRuntime} is missing`);
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), 'handoff-restart-'));
  const fake = await startFakeChatwoot();
  const receiver = await startCallbackReceiver(callbackSecret);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const configPath = join(directory, 'runtime.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      server: { host: '127.0.0.1', port },
      auth: { tokens: [{ name: 'restart', token }], rateLimitPerMinute: 1_000_000 },
      storage: { type: 'sqlite', path: join(directory, 'runtime.db') },
      bot: { type: 'demo' },
      support: {
        type: 'chatwoot',
        name: 'chatwoot',
        catchUpIntervalMs: 1_000,
        chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 1_000 },
      },
      routing: {
        defaultTeam: { team: '1', label: 'Support' },
        teams: [{ team: '2', label: 'Billing', skills: ['demo.shop.Refund'] }],
        askWhenNoSkill: true,
      },
      channels: { web: { callbackUrl: receiver.url, callbackSecret, callbackTimeoutMs: 1_000 } },
    }),
  );
  fake.setInbox({ webhookUrl: `${base}/v1/support/chatwoot/webhook` });
  const runtime = runtimeProcess(configPath, port);
  const problems: string[] = [];
  const random = seededRandom(scenario.seed);
  let kills = 0;
  let loadDone = false;

  /** A channel call, repeated with the same body until the runtime answers (it may be down). */
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const deadline = Date.now() + scenario.timeoutMs;
    for (;;) {
      try {
        const response = await request(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(5_000),
        });
        const text = await response.body.text();
        if (response.statusCode === 429) {
          // Throttled: wait as told, like a well-behaved channel.
          await new Promise((resolve) =>
            setTimeout(resolve, Number(response.headers['retry-after'] ?? 1) * 1_000),
          );
          continue;
        }
        if (response.statusCode < 500)
          return { status: response.statusCode, json: JSON.parse(text) as Record<string, unknown> };
      } catch {
        // Down or killed mid-call: try again, as a channel with a retry policy does.
      }
      if (Date.now() > deadline) throw new Error(`${method} ${path} never got an answer`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  try {
    await runtime.start();
    const killer = (async () => {
      while (!loadDone) {
        const [low, high] = scenario.killEveryMs;
        await new Promise((resolve) => setTimeout(resolve, low + random() * (high - low)));
        if (loadDone) break;
        await runtime.kill();
        kills += 1;
        await runtime.start();
      }
    })();

    const users = Array.from({ length: scenario.sessions }, (_, index) => `user-${index + 1}`);
    const expectedIncoming = new Map<string, string[]>();
    const agentMessageIds = new Map<string, Array<{ id: number; text: string }>>();
    const conversationOf = new Map<string, number>();
    await Promise.all(
      users.map(async (userId) => {
        const path = `/v1/channels/web/users/${userId}`;
        let attempt = 0;
        while ((await call('GET', `${path}/session`)).json.mode !== 'human') {
          attempt += 1;
          const asked = await call('POST', `${path}/messages`, {
            id: `${userId}-agent-${attempt}`,
            text: 'agent',
          });
          if (asked.json.mode === 'choosing-team') {
            await call('POST', `${path}/messages`, { id: `${userId}-billing-${attempt}`, text: 'billing' });
          }
        }
        const texts: string[] = [];
        for (let index = 1; index <= scenario.messagesPerSession; index += 1) {
          const text = `${userId} message ${index}`;
          texts.push(text);
          const response = await call('POST', `${path}/messages`, { id: `${userId}-m${index}`, text });
          if (response.status !== 200) problems.push(`${userId}: "${text}" answered ${response.status}`);
          await new Promise((resolve) => setTimeout(resolve, scenario.paceMs));
        }
        expectedIncoming.set(userId, texts);
        let conversationId: number | undefined;
        while (conversationId === undefined) {
          const id = (await call('GET', `${path}/session`)).json.conversationId;
          if (typeof id === 'string' && fake.conversation(Number(id))?.status === 'open')
            conversationId = Number(id);
          else await new Promise((resolve) => setTimeout(resolve, 50));
        }
        conversationOf.set(userId, conversationId);
        const sent: Array<{ id: number; text: string }> = [];
        for (let index = 1; index <= scenario.agentRepliesPerSession; index += 1) {
          const text = `reply ${index} to ${userId}`;
          sent.push({ id: await agentSays(fake, conversationId, text), text });
          await new Promise((resolve) => setTimeout(resolve, scenario.paceMs));
        }
        agentMessageIds.set(userId, sent);
      }),
    );
    loadDone = true;
    await killer;

    // Settle on the last runtime: every acknowledged message delivered, or the run is stuck.
    const incomingOf = (userId: string) =>
      (fake.conversation(conversationOf.get(userId) ?? -1)?.messages ?? [])
        .filter((message) => message.messageType === 'incoming')
        .map((message) => message.content ?? '');
    const acknowledgedReplies = (userId: string) =>
      (agentMessageIds.get(userId) ?? [])
        .filter(
          (sent) =>
            fake
              .conversation(conversationOf.get(userId) ?? -1)
              ?.messages.find((message) => message.id === sent.id)?.status !== 'failed',
        )
        .map((sent) => sent.text);
    const receivedReplies = (userId: string) => {
      const unique = new Map<string, string>();
      for (const entry of receiver.received) {
        const message = entry.body.message as { id: string; text: string; kind: string };
        if (entry.body.userId === userId && message.kind === 'agent') unique.set(message.id, message.text);
      }
      return [...unique.values()];
    };
    const deadline = started + scenario.timeoutMs;
    const settled = () =>
      users.every(
        (userId) =>
          (expectedIncoming.get(userId) ?? []).every((text) => incomingOf(userId).includes(text)) &&
          (agentMessageIds.get(userId) ?? []).every((sent) => receivedReplies(userId).includes(sent.text)),
      );
    while (!settled() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));

    let lost = 0;
    let duplicated = 0;
    let reordered = 0;
    let acknowledged = 0;
    for (const userId of users) {
      const incoming = incomingOf(userId);
      const expected = expectedIncoming.get(userId) ?? [];
      const numbered = incoming.filter((text) => expected.includes(text));
      const replies = receivedReplies(userId);
      const allReplies = (agentMessageIds.get(userId) ?? []).map((sent) => sent.text);
      const ackedReplies = acknowledgedReplies(userId);
      acknowledged += ackedReplies.length;
      for (const [what, expectedList, seen, order] of [
        ['to Chatwoot', expected, numbered, expected],
        ['to the channel', allReplies, replies, allReplies],
      ] as const) {
        const missing = expectedList.filter((text) => !seen.includes(text));
        lost += missing.length;
        if (missing.length > 0) problems.push(`${userId}: lost ${what}: ${missing.join(' | ')}`);
        const extra = seen.length - new Set(seen).size;
        duplicated += extra;
        if (extra > 0) problems.push(`${userId}: duplicated ${what}: ${seen.join(' | ')}`);
        const ranks = seen.map((text) => order.indexOf(text));
        const outOfOrder = ranks.filter((rank, index) => index > 0 && rank < (ranks[index - 1] ?? 0)).length;
        reordered += outOfOrder;
        if (outOfOrder > 0) problems.push(`${userId}: reordered ${what}: ${seen.join(' | ')}`);
      }
      const conversation = fake.conversation(conversationOf.get(userId) ?? -1);
      const sourceIds = (conversation?.messages ?? [])
        .map((message) => message.sourceId)
        .filter((id) => id != null);
      if (sourceIds.length !== new Set(sourceIds).size) {
        duplicated += sourceIds.length - new Set(sourceIds).size;
        problems.push(`${userId}: a message was posted twice in Chatwoot`);
      }
      if (fake.contacts().filter((contact) => contact.identifier === userId).length !== 1)
        problems.push(`${userId}: contact count`);
    }
    return {
      kills,
      userMessages: users.length * scenario.messagesPerSession,
      agentMessages: users.length * scenario.agentRepliesPerSession,
      agentMessagesAcknowledged: acknowledged,
      recoveredByCatchUp:
        users.reduce((sum, userId) => sum + receivedReplies(userId).length, 0) - acknowledged,
      lost,
      duplicated,
      reordered,
      durationMs: Date.now() - started,
      problems,
    };
  } catch (error) {
    problems.push(`${(error as Error).message}\n${runtime.output().slice(-2_000)}`);
    throw new Error(problems.join('\n'));
  } finally {
    loadDone = true;
    await runtime.stop();
    await receiver.close();
    await fake.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
