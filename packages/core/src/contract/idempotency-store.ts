// The idempotency port: answers to channel calls that carry a client message id.

/**
 * Answers to channel calls with a client message id, so a repeated call gets the same answer.
 * Entries may expire after a day or more; until then `get` returns what `put` stored last.
 */
export interface IdempotencyStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, response: string): Promise<void>;
}
