// A hosted platform's chatbot on an organization's own support system, as every system's test
// drives it: created through the admin API with the system's settings, refused when a credential
// is wrong, and handing off over its own webhook URL.
import type { SupportHarness } from '@handoff/core';
import { expect } from 'vitest';
import { admin } from './admin-token.js';
import { eventually } from './runtime-test-kit.js';
import { handedOffConversationId, startRuntimeWithAdmin } from './support-system-loops.js';

export interface HostedChatbotSettings<Harness extends SupportHarness> {
  harness: Harness;
  cleanups: Array<() => Promise<unknown>>;
  /** `support.type` and the key of its settings (`sunshine`, `rocketchat`, ...). */
  type: string;
  /** The system's settings that reach the harness's fake. */
  settings: Record<string, unknown>;
  /** The team every handoff goes to. */
  defaultTeamName: string;
}

const channelToken = 'shop-web-token-0123456789abcdef';

export async function setupHostedChatbot<Harness extends SupportHarness>(
  options: HostedChatbotSettings<Harness>,
) {
  const started = await startRuntimeWithAdmin();
  options.cleanups.push(started.close);
  const teams = await options.harness.teams();
  const team = teams.find((candidate) => candidate.name === options.defaultTeamName);
  if (team === undefined) throw new Error(`the support system has no team named ${options.defaultTeamName}`);
  /** The chatbot's settings, its support settings changed by `change`. */
  const shop = (change: Record<string, unknown> = {}) => ({
    name: 'Shop',
    channels: { web: { token: channelToken } },
    support: {
      type: options.type,
      [options.type]: { ...options.settings, requestTimeoutMs: 2_000, ...change },
    },
    routing: { defaultTeam: { team: team.id, label: options.defaultTeamName }, teams: [] },
  });
  return { ...started, harness: options.harness, shop, team };
}

type HostedChatbot = Awaited<ReturnType<typeof setupHostedChatbot>>;

/** A wrong credential refuses the chatbot: 400 naming a field of the system's settings, never the value. */
export async function expectCredentialRefused(
  chatbot: HostedChatbot,
  type: string,
  change: Record<string, string>,
) {
  const refused = await chatbot.call(
    'POST',
    '/v1/admin/bots',
    { id: 'shop', ...chatbot.shop(change) },
    admin,
  );
  expect(refused.status, refused.text).toBe(400);
  for (const value of Object.values(change)) expect(refused.text).not.toContain(value);
  expect((refused.json.issues as Array<{ path: string }>).map((issue) => issue.path)).toEqual(
    expect.arrayContaining([expect.stringMatching(new RegExp(`^support\\.${type}\\.`))]),
  );
  expect((await chatbot.call('GET', '/v1/admin/bots/shop', undefined, admin)).status).toBe(404);
}

/** The chatbot hands a user off to its default team, and the agent's reply reaches the user's mailbox. */
export async function expectHandoffOverChatbotWebhook(
  chatbot: HostedChatbot,
  options: { setWebhookUrl(url: string): void; agentText: string },
) {
  const { call, harness } = chatbot;
  const created = await call('POST', '/v1/admin/bots', { id: 'shop', ...chatbot.shop() }, admin);
  expect(created.status, created.text).toBe(201);
  options.setWebhookUrl(`${chatbot.url}/v1/bots/shop/support/webhook`);
  const channel = { authorization: `Bearer ${channelToken}` };
  const base = '/v1/bots/shop/channels/web/users/alice';
  expect((await call('POST', `${base}/messages`, { text: 'human please' }, channel)).status).toBe(200);
  const conversationId = await handedOffConversationId(
    { session: () => call('GET', `${base}/session`, undefined, channel) },
    10_000,
  );
  await eventually(async () => {
    expect((await harness.getConversation(conversationId))?.team?.id).toBe(chatbot.team.id);
  }, 10_000);
  await harness.agentReply(conversationId, { text: options.agentText });
  await eventually(async () => {
    const entries = await chatbot.runtime.stores.mailbox.after('bots/shop/web/alice', 0);
    expect(entries.map((entry) => entry.message.text)).toContain(options.agentText);
  }, 10_000);
  return created;
}
