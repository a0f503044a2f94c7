import { refuse } from '@handoff/fake-server';
import { intercomErrors } from './fake-errors.js';
import { isRecord } from './fake-params.js';
import type { FakeContact } from './fake-records.js';
import { contactView } from './fake-rest-views.js';

/**
 * `POST /contacts/search` queries (spec `search_request`): a filter `{field, operator, value}` or a
 * group `{operator: 'AND'|'OR', value: [filters or groups]}`, at most 2 levels of nesting and 15
 * filters per group. The fake evaluates them over the contact as `GET /contacts/{id}` shows it.
 * Refusals are `parameter_invalid` 400s; their exact wording is our inference.
 */

/** The Date fields: compared by calendar day (workspace zone; UTC in the fake), only `=`, `<`, `>`. */
const dateFields = new Set([
  'created_at',
  'updated_at',
  'signed_up_at',
  'last_seen_at',
  'last_contacted_at',
  'last_replied_at',
  'last_email_opened_at',
  'last_email_clicked_at',
  'ios_last_seen_at',
  'android_last_seen_at',
]);

/** The searchable fields of the spec's table the fake stores (custom attributes come on top). */
const searchableFields = new Set([
  'id',
  'role',
  'name',
  'avatar',
  'owner_id',
  'email',
  'email_domain',
  'phone',
  'external_id',
  'language_override',
  'browser',
  'browser_language',
  'os',
  'location.country',
  'location.region',
  'location.city',
  'unsubscribed_from_emails',
  'marked_email_as_spam',
  'has_hard_bounced',
  ...dateFields,
]);

const operators = new Set(['=', '!=', 'IN', 'NIN', '<', '>', '<=', '>=', '~', '!~', '^', '$']);

const invalid = (message: string): never => refuse(intercomErrors.parameterInvalid(message));

type Predicate = (contact: FakeContact) => boolean;

function fieldValue(contact: FakeContact, field: string): unknown {
  if (field === 'email_domain') return contact.email?.split('@')[1] ?? null;
  // The view answers "" for no email; a search for `email = null` finds contacts without one.
  if (field === 'email') return contact.email;
  let current: unknown = contactView(contact);
  for (const segment of field.split('.')) {
    current = isRecord(current) ? current[segment] : undefined;
  }
  return current ?? null;
}

const dayOf = (seconds: number): number => Math.floor(seconds / 86_400);

function dateFilter(field: string, operator: string, value: unknown): Predicate {
  const wanted = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof wanted !== 'number') return invalid(`${field} needs a UNIX timestamp value`);
  if (operator !== '=' && operator !== '<' && operator !== '>') {
    return invalid(`The ${operator} operator is not supported on Date fields`);
  }
  return (contact) => {
    const actual = fieldValue(contact, field);
    if (typeof actual !== 'number') return false;
    const difference = dayOf(actual) - dayOf(wanted);
    return operator === '=' ? difference === 0 : operator === '>' ? difference > 0 : difference < 0;
  };
}

/** Comparable text: emails are matched without regard to case, as Intercom stores them lowercased. */
const textOf = (field: string, value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return field === 'email' ? text.toLowerCase() : text;
};

function valueFilter(field: string, operator: string, value: unknown): Predicate {
  const equals = (actual: unknown, wanted: unknown) =>
    wanted === null ? actual === null : textOf(field, actual) === textOf(field, wanted);
  switch (operator) {
    case '=':
      return (contact) => equals(fieldValue(contact, field), value);
    case '!=':
      return (contact) => !equals(fieldValue(contact, field), value);
    case 'IN':
    case 'NIN': {
      if (!Array.isArray(value)) return invalid(`The ${operator} operator needs an array value`);
      const inside = (contact: FakeContact) => value.some((item) => equals(fieldValue(contact, field), item));
      return operator === 'IN' ? inside : (contact) => !inside(contact);
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const wanted = Number(value);
      if (!Number.isFinite(wanted)) return invalid(`The ${operator} operator needs a number value`);
      return (contact) => {
        const actual = fieldValue(contact, field);
        if (typeof actual !== 'number') return false;
        if (operator === '<') return actual < wanted;
        if (operator === '>') return actual > wanted;
        return operator === '<=' ? actual <= wanted : actual >= wanted;
      };
    }
    default: {
      if (typeof value !== 'string') return invalid(`The ${operator} operator needs a string value`);
      const wanted = textOf(field, value) ?? '';
      const test = (actual: string): boolean => {
        if (operator === '~' || operator === '!~') return actual.includes(wanted);
        return operator === '^' ? actual.startsWith(wanted) : actual.endsWith(wanted);
      };
      return (contact) => {
        const actual = textOf(field, fieldValue(contact, field));
        const matched = actual !== null && test(actual);
        return operator === '!~' ? !matched : matched;
      };
    }
  }
}

function compileFilter(filter: Record<string, unknown>): Predicate {
  const { field, operator, value } = filter;
  if (typeof field !== 'string') return invalid('field is required in a search filter');
  if (typeof operator !== 'string' || !operators.has(operator)) {
    return invalid(`operator ${String(operator)} is not supported`);
  }
  if (!searchableFields.has(field) && !/^custom_attributes\.[^.]+$/.test(field)) {
    return invalid(`${field} is not a searchable field`);
  }
  if (value === undefined) return invalid('value is required in a search filter');
  return dateFields.has(field) ? dateFilter(field, operator, value) : valueFilter(field, operator, value);
}

function compileQuery(query: unknown, depth: number): Predicate {
  if (!isRecord(query)) return invalid('query must be an object');
  if (query.operator !== 'AND' && query.operator !== 'OR') return compileFilter(query);
  if (depth >= 2) return invalid('There is a limit of max 2 nested filters');
  if (!Array.isArray(query.value) || query.value.length === 0) {
    return invalid(`An ${query.operator} group needs an array of filters as its value`);
  }
  if (query.value.length > 15) return invalid('There is a limit of max 15 filters for each AND or OR group');
  const parts = query.value.map((item: unknown) => compileQuery(item, depth + 1));
  return query.operator === 'AND'
    ? (contact) => parts.every((part) => part(contact))
    : (contact) => parts.some((part) => part(contact));
}

/** The contacts a search query matches, or a 400 refusal for a query Intercom would refuse. */
export function searchContacts(contacts: readonly FakeContact[], query: unknown): FakeContact[] {
  if (query === undefined || query === null) return invalid('query is required');
  const matches = compileQuery(query, 0);
  return contacts.filter(matches);
}
