import type { FakeContact } from './fake-records.js';

export interface ContactProblem {
  attribute: string;
  message: string;
}

/** `Devise.email_regexp` (`config/initializers/devise.rb`), which contacts use. */
const emailFormat = /^[^@\s]+@[^@\s]+$/;
/** The E.164 check of `app/models/contact.rb`, `/\+[1-9]\d{1,14}\z/`: anchored at the end only. */
const phoneFormat = /\+[1-9]\d{1,14}$/;
/** `ApplicationRecord#validates_column_content_length`: string columns hold 255 characters. */
const stringColumnLimit = 255;

const codePoints = (text: string): number => [...text].length;

/** The columns the length rule checks, in `db/schema.rb` order, with their humanised names. */
const limitedColumns = [
  ['name', 'Name'],
  ['email', 'Email'],
  ['phone_number', 'Phone number'],
  ['identifier', 'Identifier'],
] as const;

type Candidate = Pick<FakeContact, 'name' | 'email' | 'phoneNumber' | 'identifier'>;

const columnValue = (candidate: Candidate, column: (typeof limitedColumns)[number][0]) =>
  column === 'phone_number' ? candidate.phoneNumber : candidate[column];

/**
 * `prepare_contact_attributes` (`app/models/contact.rb`): the email is stored lowercased and a
 * blank one becomes null.
 */
export function normaliseEmail(email: string | null): string | null {
  return email === null || email.trim() === '' ? null : email.toLowerCase();
}

/**
 * The Contact validations, in the order Chatwoot runs them (`app/models/application_record.rb`,
 * `app/models/contact.rb`): the 255-character column limit (code points, like Ruby), then email
 * (taken, case-insensitive; format), identifier (taken, case-sensitive), phone number (taken;
 * E.164). Messages are English in every locale (`config.rails_i18n.enabled_modules =
 * [:pluralization]`). Creating never de-duplicates: a collision is a 422 that does not say which
 * contact collided.
 */
export function contactProblems(
  contacts: readonly FakeContact[],
  candidate: Candidate,
  exceptContactId?: number,
): ContactProblem[] {
  const others = contacts.filter((contact) => contact.id !== exceptContactId);
  const problems: ContactProblem[] = [];
  for (const [column, label] of limitedColumns) {
    const value = columnValue(candidate, column);
    if (value !== null && codePoints(value) > stringColumnLimit)
      problems.push({
        attribute: column,
        message: `${label} is too long (maximum is ${stringColumnLimit} characters)`,
      });
  }
  const email = normaliseEmail(candidate.email);
  const { phoneNumber, identifier } = candidate;
  if (email !== null) {
    if (others.some((contact) => contact.email?.toLowerCase() === email)) {
      problems.push({ attribute: 'email', message: 'Email has already been taken' });
    }
    if (!emailFormat.test(email)) problems.push({ attribute: 'email', message: 'Email Invalid email' });
  }
  if (
    identifier !== null &&
    identifier !== '' &&
    others.some((contact) => contact.identifier === identifier)
  ) {
    problems.push({ attribute: 'identifier', message: 'Identifier has already been taken' });
  }
  if (phoneNumber !== null && phoneNumber !== '') {
    if (others.some((contact) => contact.phoneNumber === phoneNumber)) {
      problems.push({ attribute: 'phone_number', message: 'Phone number has already been taken' });
    }
    if (!phoneFormat.test(phoneNumber)) {
      problems.push({ attribute: 'phone_number', message: 'Phone number should be in e164 format' });
    }
  }
  return problems;
}
