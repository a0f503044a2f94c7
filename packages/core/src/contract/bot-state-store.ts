// The bot-state port: what bots a host runs itself keep between turns.

/**
 * State a bot the host runs keeps between turns (the demo bot's dialogue), shared by every
 * instance so whichever one takes the next turn finds it. Entries may expire after weeks unused.
 */
export interface BotStateStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
}
