import { request } from 'undici';
import type { ScenarioSupport } from './scenario-support.js';

interface ConsoleConversation {
  status: string;
  team?: { id: string } | null;
  messages: Array<{ author: string; text: string }>;
}

/**
 * The in-process system, which lives inside the runtime and dies with it: its agents act through
 * the runtime's agent console API, retried while the runtime is down, and what it holds is read
 * the same way (after a kill, from what it saved).
 */
export function memoryScenarioSupport(settings: { token: string; timeoutMs: number }): ScenarioSupport {
  let base = '';
  /** A console call, repeated until the runtime answers (it may be down between a kill and a start). */
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const deadline = Date.now() + settings.timeoutMs;
    for (;;) {
      try {
        const response = await request(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(2_000),
        });
        const text = await response.body.text();
        if (response.statusCode < 500) return response.statusCode === 404 ? undefined : JSON.parse(text);
      } catch {
        // Down: try again.
      }
      if (Date.now() > deadline) throw new Error(`${method} ${path} never got an answer`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const conversation = async (id: string) =>
    (await call('GET', `/v1/console/conversations/${encodeURIComponent(id)}`)) as
      | ConsoleConversation
      | undefined;
  return {
    type: 'memory',
    runtimeSettings: () => ({
      support: { type: 'in-process', name: 'memory', catchUpIntervalMs: 1_000 },
      routing: {
        defaultTeam: { team: '1', label: 'Support' },
        teams: [{ team: '2', label: 'Billing', skills: ['demo.shop.Refund'] }],
        askWhenNoSkill: true,
      },
    }),
    connect(runtimeUrl) {
      base = runtimeUrl;
    },
    isOpen: async (id) => (await conversation(id))?.status === 'open',
    async agentSays(id, text) {
      // The agent clicks "send" again only when the reply is not there: a kill may have taken
      // the answer but not the reply.
      const deadline = Date.now() + settings.timeoutMs;
      for (;;) {
        try {
          const response = await request(`${base}/v1/console/conversations/${encodeURIComponent(id)}/reply`, {
            method: 'POST',
            headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ text }),
            signal: AbortSignal.timeout(2_000),
          });
          await response.body.dump();
          if (response.statusCode === 200) return;
        } catch {
          // No answer: did it land?
        }
        if (
          (await conversation(id))?.messages.some(
            (message) => message.author === 'agent' && message.text === text,
          )
        )
          return;
        if (Date.now() > deadline) throw new Error(`the agent's reply "${text}" never landed`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    userTexts: async (id) =>
      ((await conversation(id))?.messages ?? [])
        .filter((message) => message.author === 'user')
        .map((message) => message.text),
    async duplicatePosts(id) {
      const posted = ((await conversation(id))?.messages ?? [])
        .map((message) => message.text)
        .filter((text) => /^user-\d+ message \d+$|^reply \d+ to user-\d+$/.test(text));
      return posted.length - new Set(posted).size;
    },
    async usersOf(userId) {
      // Through the conversations the console lists: each names its user once.
      const listed = (await call('GET', '/v1/console/conversations')) as {
        conversations: Array<{ user: { externalId: string; id: string } | null }>;
      };
      const ids = new Set(
        listed.conversations.filter((item) => item.user?.externalId === userId).map((item) => item.user?.id),
      );
      return ids.size;
    },
    close: async () => undefined,
  };
}
