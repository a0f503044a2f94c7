/**
 * The records of a Chatwoot installation above its accounts, as the Platform API sees them
 * (`app/models/platform_app.rb`, `platform_app_permissible.rb`, `user.rb`, `account.rb` at v4.15.1).
 */

/** An account row (`accounts`): what `Platform::Api::V1::AccountsController` reads and writes. */
export interface FakeAccountRecord {
  id: number;
  name: string;
  status: 'active' | 'suspended';
  /** `accounts.locale`, an enum of `LANGUAGES_CONFIG` codes; default `en`. */
  locale: string;
  /** The inbound email domain (`validates :domain, length: { maximum: 100 }`). */
  domain: string | null;
  supportEmail: string | null;
  customAttributes: Record<string, unknown>;
  limits: Record<string, unknown>;
  /** Names of the enabled features (`Featurable#enabled_features`). */
  features: string[];
}

/** A platform app (`platform_apps`): its `access_token` opens the Platform API, nothing else. */
export interface FakePlatformApp {
  id: number;
  name: string;
  accessToken: string;
}

/**
 * A `platform_app_permissibles` row: the app created, or was handed by a duplicate email, this
 * record, and may show, change and delete it.
 */
export interface FakePermissible {
  platformAppId: number;
  type: 'Account' | 'User' | 'AgentBot';
  id: number;
}

/** A user of the installation (`users`); each account they belong to also lists them with a role. */
export interface FakeUserRecord {
  id: number;
  name: string;
  displayName: string | null;
  email: string;
  accessToken: string;
  pubsubToken: string;
  /** Set (the fake keeps it to check content rules only), or undefined for a seeded user. */
  password: string | undefined;
  /** Devise confirmable: null until confirmed; `skip_confirmation!` sets it to now. */
  confirmedAt: Date | null;
  customAttributes: Record<string, unknown>;
  createdAt: Date;
}

/** An `account_users` row: who belongs to which account, with which role. */
export interface FakeAccountUser {
  id: number;
  accountId: number;
  userId: number;
  role: 'administrator' | 'agent';
  inviterId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * An email Chatwoot would send (`deliver_later` of a Devise mailer): `confirmation_instructions`
 * after a user is created unconfirmed. `link` is the action button of the message: for a user an
 * administrator invited, `…/app/auth/password/edit?reset_password_token=…`, otherwise
 * `…/app/auth/confirmation?confirmation_token=…` (`app/views/devise/mailer/confirmation_instructions.html.erb`).
 */
export interface FakeEmail {
  to: string;
  kind: 'confirmation_instructions';
  /** The heading the template picks: an invitation to a workspace, or a plain welcome. */
  variant: 'invitation' | 'welcome';
  userId: number;
  link: string;
  sentAt: Date;
}
