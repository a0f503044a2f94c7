// A random password for a user the platform app creates (nobody is told it).

import { randomBytes } from 'node:crypto';

/**
 * Devise's `:validatable` requires a password on a new user (6 to 128 characters,
 * `config/initializers/devise.rb`), and `password_has_required_content` one uppercase, one
 * lowercase, one digit and one special character (`config/initializers/secure_password.rb`). An
 * existing user's password is never touched: users#create returns them as they are.
 */
export function ownerPassword(): string {
  return `${randomBytes(24).toString('base64url')}Aa1!`;
}
