/**
 * State a bot the runtime runs keeps between turns (the demo bot's dialogue), in the runtime's
 * storage, so whichever instance takes the next turn finds it and a restart loses nothing.
 */
export interface BotStateStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
}
