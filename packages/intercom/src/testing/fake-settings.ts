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
  /** Requests per minute for all non-harness clients together; default false (no limit). */
  rateLimitPerMinute?: number | false;
  now?: () => Date;
}
