import type { BotConnector, BotRequest, BotResponse, BotStateStore, HandoffRequest } from '@handoff/core';

/** The demo bot's skills, named `Organization.Project.Skill` as routing expects. */
export const demoSkills = {
  orderStatus: 'demo.shop.OrderStatus',
  refund: 'demo.shop.Refund',
  passwordReset: 'demo.account.PasswordReset',
} as const;

type SkillName = (typeof demoSkills)[keyof typeof demoSkills];

interface ActiveSkill {
  skill: SkillName;
  slots: Record<string, string>;
}

const orderNumberPattern = /\b([a-z]-?\d{3,}|\d{4,})\b/i;
const emailPattern = /[^\s@]+@[^\s@]+\.[^\s@]+/;

const intents: Array<{ skill: SkillName; pattern: RegExp }> = [
  { skill: demoSkills.refund, pattern: /\brefund|money back|return\b/i },
  {
    skill: demoSkills.orderStatus,
    pattern: /\border status|where is my order|track|tracking|parcel|package|delivery\b/i,
  },
  { skill: demoSkills.passwordReset, pattern: /\bpassword|log ?in|locked out|reset\b/i },
];
const handoffPattern = /\b(agent|human|person|someone real|representative|operator|support team)\b/i;
const cancelPattern = /^\s*(cancel|stop|never mind|nevermind)\s*$/i;

const help =
  'I can check an order status, start a refund or reset your password. Say "agent" at any time to talk to a person.';

/**
 * What the bot says first when a human hands the user back: it goes on from the agent's summary
 * (their last private note), else their last words, and says why the human part ended.
 */
function welcomeBack(returned: NonNullable<BotRequest['returned']>): string {
  const quote = (text: string) => `"${text.slice(0, 200)}"`;
  switch (returned.reason) {
    case 'agent_closed':
      if (returned.lastAgentNote !== undefined)
        return `Welcome back, I am the bot again. Your agent's summary: ${quote(returned.lastAgentNote)}. Anything else?`;
      if (returned.lastAgentMessage !== undefined)
        return `Welcome back, I am the bot again. The agent's last words: ${quote(returned.lastAgentMessage)}`;
      return 'Welcome back, I am the bot again.';
    case 'no_agent':
      return 'Nobody could take over just now, so I am the bot again. Say "agent" later to try once more.';
    case 'handoff_failed':
      return 'Sorry, I could not reach a person. I am the bot again.';
    case 'user_cancelled':
      return 'I am the bot again. How can I help?';
  }
}

/** The dialogue of one bot session: the skills under way, and the last turn's answer. */
interface DialogueState {
  stack: ActiveSkill[];
  /** The message last answered and the answer: a retried turn gets it again, changing nothing. */
  answered?: { messageId: string; response: BotResponse };
}

/** Dialogue state in process memory, for tests and embedding without a runtime. */
export function createMemoryBotState(): BotStateStore {
  const states = new Map<string, string>();
  return {
    async get(key) {
      return states.get(key);
    },
    async put(key, value) {
      states.set(key, value);
    },
  };
}

/**
 * A small bot for the demo: three multi-turn skills whose slots can be left unfinished (so routing
 * has something to go on), and "agent" or "human" to ask for a person. Its dialogue state, per bot
 * session, lives in `state` (the runtime's storage), so any instance can answer any turn.
 */
export function createDemoBot(settings: { state?: BotStateStore } = {}): BotConnector {
  const state = settings.state ?? createMemoryBotState();

  /** Innermost first, with the slots filled so far (agents see them in the handoff note). */
  const unfinished = (stack: ActiveSkill[]) =>
    [...stack].reverse().map((active) => ({ skill: active.skill, slots: { ...active.slots } }));

  /** Asks for the next missing slot of `active`, or finishes it. */
  const advance = (active: ActiveSkill): { reply: string; done: boolean } => {
    switch (active.skill) {
      case demoSkills.orderStatus:
        if (active.slots.orderNumber === undefined)
          return { reply: 'Sure. What is your order number?', done: false };
        return {
          reply: `Order ${active.slots.orderNumber} has shipped and should arrive within two days.`,
          done: true,
        };
      case demoSkills.refund:
        if (active.slots.orderNumber === undefined)
          return { reply: 'I can help with a refund. What is the order number?', done: false };
        if (active.slots.reason === undefined)
          return { reply: 'And why would you like a refund?', done: false };
        return {
          reply: `I filed a refund request for order ${active.slots.orderNumber}. You will get an email within a day.`,
          done: true,
        };
      case demoSkills.passwordReset:
        if (active.slots.email === undefined)
          return { reply: 'Which email address is your account under?', done: false };
        return { reply: `I sent a reset link to ${active.slots.email}.`, done: true };
    }
  };

  /** Fills the slot the active skill waits for from `text`; false when the text does not fit. */
  const fill = (active: ActiveSkill, text: string): boolean => {
    if (active.skill === demoSkills.passwordReset) {
      const email = emailPattern.exec(text)?.[0];
      if (email === undefined) return false;
      active.slots.email = email;
      return true;
    }
    if (active.slots.orderNumber === undefined) {
      const number = orderNumberPattern.exec(text)?.[1];
      if (number === undefined) return false;
      active.slots.orderNumber = number.toUpperCase();
      return true;
    }
    if (active.skill === demoSkills.refund && active.slots.reason === undefined && text.trim().length > 2) {
      active.slots.reason = text.trim().slice(0, 200);
      return true;
    }
    return false;
  };

  /** One turn, against the dialogue so far; changes `stack` in place. */
  const turn = (request: BotRequest, stack: ActiveSkill[]): BotResponse => {
    const text = request.message.text;
    const replies: string[] = [];
    if (request.returned !== undefined) replies.push(welcomeBack(request.returned));

    if (handoffPattern.test(text)) {
      const handoff: HandoffRequest = { reason: 'the user asked for a person' };
      replies.push('Let me get a person for you.');
      return {
        replies: replies.map((reply) => ({ text: reply })),
        unfinishedSkills: unfinished(stack),
        handoff,
      };
    }
    if (cancelPattern.test(text) && stack.length > 0) {
      stack.pop();
      replies.push(
        stack.length > 0 ? `Okay. ${advance(stack.at(-1) as ActiveSkill).reply}` : `Okay, cancelled. ${help}`,
      );
      return { replies: replies.map((reply) => ({ text: reply })), unfinishedSkills: unfinished(stack) };
    }

    const started = intents.find((intent) => intent.pattern.test(text));
    const current = stack.at(-1);
    if (started !== undefined && started.skill !== current?.skill) {
      const active: ActiveSkill = { skill: started.skill, slots: {} };
      stack.push(active);
      fill(active, text);
      const next = advance(active);
      if (next.done) stack.pop();
      replies.push(next.reply);
    } else if (current !== undefined) {
      if (fill(current, text)) {
        const next = advance(current);
        if (next.done) stack.pop();
        replies.push(next.reply);
        const resumed = stack.at(-1);
        if (next.done && resumed !== undefined)
          replies.push(`Back to your earlier request. ${advance(resumed).reply}`);
      } else {
        replies.push(`Sorry, I did not get that. ${advance(current).reply}`);
      }
    } else if (/^\s*(hi|hello|hey|help|start)\b/i.test(text)) {
      replies.push(`Hello! ${help}`);
    } else {
      replies.push(`Sorry, I did not understand. ${help}`);
    }
    return { replies: replies.map((reply) => ({ text: reply })), unfinishedSkills: unfinished(stack) };
  };

  return {
    async respond(request): Promise<BotResponse> {
      const key = `demo-bot:${request.session.sessionId}`;
      const saved = await state.get(key);
      const dialogue: DialogueState =
        saved === undefined ? { stack: [] } : (JSON.parse(saved) as DialogueState);
      if (dialogue.answered?.messageId === request.message.id) return dialogue.answered.response;
      const response = turn(request, dialogue.stack);
      await state.put(
        key,
        JSON.stringify({ stack: dialogue.stack, answered: { messageId: request.message.id, response } }),
      );
      return response;
    },
  };
}
