import { request } from 'undici';

export interface ChannelClientSettings {
  /** The channel API's bearer token. */
  token: string;
  /**
   * The runtime (`http://127.0.0.1:<port>`) the next attempt goes to; `failed` is the one the
   * previous attempt got no answer from, if any.
   */
  pickInstance: (failed: string | undefined) => string;
  /** How long a call keeps trying before it fails. */
  timeoutMs: number;
  /** How long one attempt may take. Default 5 s. */
  attemptTimeoutMs?: number;
}

export interface ChannelAnswer {
  status: number;
  json: Record<string, unknown>;
  /** The runtime that answered. */
  instance: string;
}

const channelId = 'web';
const retryDelayMs = 50;

/** `/v1/channels/web/users/<userId>` */
export function userPath(userId: string): string {
  return `/v1/channels/${channelId}/users/${encodeURIComponent(userId)}`;
}

/**
 * A web channel as a real one with a retry policy behaves: a call that got no answer (connection
 * failure, 5xx, timeout) is repeated with the same body, and so the same message id, on the
 * instance `pickInstance` names, until answered; a 429 waits as told.
 */
export function createChannelClient(settings: ChannelClientSettings) {
  const attemptTimeoutMs = settings.attemptTimeoutMs ?? 5_000;
  let retries = 0;

  /** One call, repeated until a runtime answers with a status below 500. */
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<ChannelAnswer> => {
    const deadline = Date.now() + settings.timeoutMs;
    let failed: string | undefined;
    for (;;) {
      const instance = settings.pickInstance(failed);
      try {
        const response = await request(`${instance}${path}`, {
          method,
          headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(attemptTimeoutMs),
        });
        const text = await response.body.text();
        if (response.statusCode === 429) {
          // Throttled: wait as told, like a well-behaved channel.
          await new Promise((resolve) =>
            setTimeout(resolve, Number(response.headers['retry-after'] ?? 1) * 1_000),
          );
          failed = undefined;
          continue;
        }
        if (response.statusCode < 500)
          return { status: response.statusCode, json: JSON.parse(text) as Record<string, unknown>, instance };
      } catch {
        // Down or killed mid-call: try again, as a channel with a retry policy does.
      }
      failed = instance;
      retries += 1;
      if (Date.now() > deadline) throw new Error(`${method} ${path} never got an answer`);
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  };

  return {
    call,
    /** Attempts repeated after no answer so far. */
    retries: () => retries,
    /**
     * Asks the demo bot for a human until the session is in human mode: "agent", then "billing"
     * when asked to choose a team. Message ids are per attempt, so a repeat is not new. Resolves
     * with whether the bot had to ask for a team.
     */
    async handOff(userId: string): Promise<{ askedForTeam: boolean }> {
      const path = userPath(userId);
      let attempt = 0;
      let askedForTeam = false;
      while ((await call('GET', `${path}/session`)).json.mode !== 'human') {
        attempt += 1;
        const asked = await call('POST', `${path}/messages`, {
          id: `${userId}-agent-${attempt}`,
          text: 'agent',
        });
        if (asked.json.mode === 'choosing-team') {
          askedForTeam = true;
          await call('POST', `${path}/messages`, { id: `${userId}-billing-${attempt}`, text: 'billing' });
        }
      }
      return { askedForTeam };
    },
    /**
     * Sends `count` numbered messages one after the other, `paceMs` apart, each with a stable id
     * (`<userId>-m<n>`); `onAnswer` hears each answer. Resolves with the texts sent, in order.
     */
    async sendNumbered(
      userId: string,
      count: number,
      paceMs: number,
      onAnswer: (text: string, answer: ChannelAnswer) => void,
    ): Promise<string[]> {
      const texts: string[] = [];
      for (let index = 1; index <= count; index += 1) {
        const text = `${userId} message ${index}`;
        texts.push(text);
        onAnswer(
          text,
          await call('POST', `${userPath(userId)}/messages`, { id: `${userId}-m${index}`, text }),
        );
        await new Promise((resolve) => setTimeout(resolve, paceMs));
      }
      return texts;
    },
    /** The session's conversation id, once `isOpen` says the support system has it open. */
    async openConversation(
      userId: string,
      isOpen: (conversationId: string) => boolean | Promise<boolean>,
    ): Promise<string> {
      const deadline = Date.now() + settings.timeoutMs;
      for (;;) {
        const id = (await call('GET', `${userPath(userId)}/session`)).json.conversationId;
        if (typeof id === 'string' && (await isOpen(id))) return id;
        if (Date.now() > deadline) throw new Error(`${userId}: the conversation ${String(id)} never opened`);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
    },
  };
}
