import type { RuntimeConfigInput } from '../../src/config/runtime-config.js';

/**
 * The support system a reliability scenario runs against, seen from outside the runtime: what the
 * runtime's configuration says about it, and what its agents and its records show.
 */
export interface ScenarioSupport {
  /** `chatwoot`, `intercom` or `memory` (the in-process system, inside the runtime). */
  type: 'chatwoot' | 'intercom' | 'memory';
  /** The runtime's `support` and `routing` settings for it. */
  runtimeSettings(): Pick<RuntimeConfigInput, 'support' | 'routing'>;
  /** Tells the system where the runtime takes its webhooks. */
  connect(runtimeUrl: string): void;
  /** True once agents can answer in the conversation (transferred, open). */
  isOpen(conversationId: string): Promise<boolean>;
  /** An agent's reply, written once (a try that got no answer is repeated only if it did not land). */
  agentSays(conversationId: string, text: string): Promise<void>;
  /** The user's messages in the conversation, in order. */
  userTexts(conversationId: string): Promise<string[]>;
  /** How many of the bot's posts are stored more than once. */
  duplicatePosts(conversationId: string): Promise<number>;
  /** How many support users are stored under a bot-side user id. */
  usersOf(userId: string): Promise<number>;
  close(): Promise<void>;
}
