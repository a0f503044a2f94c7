/** How a fake Intercom workspace is set up. Every field has a default. */
export interface FakeIntercomSettings {
  /** The bearer token the fake accepts. Default `intercom-test-token`. */
  accessToken?: string;
  /** The app's client secret: the HMAC-SHA1 key of the webhook signatures. Default `intercom-client-secret`. */
  clientSecret?: string;
  /** Every webhook notification is also POSTed here. */
  webhookUrl?: string;
  /**
   * How long a new contact stays invisible to `POST /contacts/search` (facts §1: "This delay can
   * take a few minutes"). Default 0. `GET /contacts/find_by_external_id` sees it at once.
   */
  searchLagMs?: number;
  /**
   * How notifications are delivered: `unordered` (the default: Intercom documents no order, so each
   * goes out after a short random pause and they may arrive in any order) or `ordered` (one at a
   * time, in the order of the changes; for debugging).
   */
  webhookOrder?: 'ordered' | 'unordered';
  /** Seed of the unordered pauses: the same seed, the same interleaving. Default 1. */
  webhookSeed?: number;
  /** Bounds of the pause before an unordered delivery, in ms. Default 0 to 12. */
  webhookJitterMs?: readonly [number, number];
  /** Requests per minute for all non-harness clients together; default false (no limit). */
  rateLimitPerMinute?: number | false;
  now?: () => Date;
}
