// SettingsIssue: one thing wrong with an adapter's settings, found by checking them against the system.

/**
 * What `verifySettings` found wrong, naming the settings field at fault (`userToken`, `accountId`,
 * `inboxId`, `accessToken`, ...) and saying what is wrong with it in words an operator can act on.
 * Never carries a credential.
 */
export interface SettingsIssue {
  /** The name of the adapter's settings field at fault, as in its settings schema. */
  field: string;
  message: string;
}
