import type { FakeContact } from './fake-records.js';

export interface ContactProblem {
  attribute: string;
  message: string;
}

/** Devise's email format, which Chatwoot contacts use. */
const emailFormat = /^[^@\s]+@[^@\s]+$/;
/** Chatwoot's E.164 check, `/\+[1-9]\d{1,14}\z/`: anchored at the end only, like the original. */
const phoneFormat = /\+[1-9]\d{1,14}$/;

/**
 * The Contact model validations (notes §1.2): email format, E.164 phone, and uniqueness in the
 * account of identifier, email (case-insensitive) and phone number. Creating never de-duplicates;
 * a collision is a 422 that does not say which contact collided (notes §7.1).
 */
export function contactProblems(
  contacts: readonly FakeContact[],
  candidate: Pick<FakeContact, 'email' | 'phoneNumber' | 'identifier'>,
  exceptContactId?: number,
): ContactProblem[] {
  const others = contacts.filter((contact) => contact.id !== exceptContactId);
  const problems: ContactProblem[] = [];
  const { email, phoneNumber, identifier } = candidate;
  if (email !== null && email !== '') {
    if (!emailFormat.test(email)) problems.push({ attribute: 'email', message: 'Email Invalid email' });
    if (others.some((contact) => contact.email?.toLowerCase() === email.toLowerCase())) {
      problems.push({ attribute: 'email', message: 'Email has already been taken' });
    }
  }
  if (phoneNumber !== null && phoneNumber !== '') {
    if (!phoneFormat.test(phoneNumber)) {
      problems.push({ attribute: 'phone_number', message: 'Phone number should be in e164 format' });
    }
    if (others.some((contact) => contact.phoneNumber === phoneNumber)) {
      problems.push({ attribute: 'phone_number', message: 'Phone number has already been taken' });
    }
  }
  if (
    identifier !== null &&
    identifier !== '' &&
    others.some((contact) => contact.identifier === identifier)
  ) {
    problems.push({ attribute: 'identifier', message: 'Identifier has already been taken' });
  }
  return problems;
}
