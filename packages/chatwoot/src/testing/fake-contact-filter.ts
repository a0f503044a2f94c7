import type { FakeContact } from './fake-records.js';

type Operator = 'equal_to' | 'not_equal_to' | 'contains' | 'does_not_contain' | 'starts_with';

interface FilterableAttribute {
  operators: readonly Operator[];
  read: (contact: FakeContact) => string | null;
  /** Compared without case (`text_case_insensitive` in `lib/filters/filter_keys.yml`). */
  caseInsensitive: boolean;
}

/**
 * The standard contact filter keys the fake serves, from `lib/filters/filter_keys.yml` (contacts):
 * identifier, email and name compare without case, phone number exactly.
 */
const attributes: Record<string, FilterableAttribute> = {
  name: {
    operators: ['equal_to', 'not_equal_to', 'contains', 'does_not_contain'],
    read: (contact) => contact.name,
    caseInsensitive: true,
  },
  phone_number: {
    operators: ['equal_to', 'not_equal_to', 'contains', 'does_not_contain', 'starts_with'],
    read: (contact) => contact.phoneNumber,
    caseInsensitive: false,
  },
  email: {
    operators: ['equal_to', 'not_equal_to', 'contains', 'does_not_contain'],
    read: (contact) => contact.email,
    caseInsensitive: true,
  },
  identifier: {
    operators: ['equal_to', 'not_equal_to'],
    read: (contact) => contact.identifier,
    caseInsensitive: true,
  },
};

/** Every standard key, for the InvalidAttribute message (`filter_keys.yml`, 4.14.0+ names). */
const standardKeys =
  'name,phone_number,email,identifier,country_code,city,company_name,labels,created_at,last_activity_at,blocked';

interface Condition {
  key: string;
  attribute: FilterableAttribute;
  operator: Operator;
  values: string[];
  /** How this condition joins the next one; null on the last. */
  joinNext: 'AND' | 'OR' | null;
}

/**
 * One condition as `Contacts::FilterService` builds its SQL: `equal_to`/`not_equal_to` (and
 * `starts_with`, which falls through to the same equality) use only the first value, downcased,
 * and for phone numbers with the `+` signs moved to the front (`"+#{v.delete('+')}"`);
 * `contains`/`does_not_contain` are `ILIKE ANY` over every value. A NULL column matches nothing.
 */
function matches(condition: Condition, contact: FakeContact): boolean {
  const column = condition.attribute.read(contact);
  if (column === null) return false;
  const fold = (text: string) => (condition.attribute.caseInsensitive ? text.toLowerCase() : text);
  const first = (condition.values[0] ?? '').toLowerCase();
  const wanted = condition.key === 'phone_number' ? `+${first.replaceAll('+', '')}` : first;
  const patterns = condition.values.map((value) => value.trim().toLowerCase());
  switch (condition.operator) {
    case 'equal_to':
    case 'starts_with':
      return fold(column) === wanted;
    case 'not_equal_to':
      return fold(column) !== wanted;
    case 'contains':
      return patterns.some((pattern) => column.toLowerCase().includes(pattern));
    case 'does_not_contain':
      return patterns.every((pattern) => !column.toLowerCase().includes(pattern));
  }
}

function readCondition(raw: unknown, last: boolean): Condition | { error: string } {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const key = typeof record.attribute_key === 'string' ? record.attribute_key : '';
  const values = record.values;
  const blank =
    values === undefined ||
    values === null ||
    values === '' ||
    (Array.isArray(values) && values.every((value) => value === null || value === ''));
  if (blank) return { error: `Invalid value. The values provided for ${key} are invalid` };
  const attribute = attributes[key];
  if (attribute === undefined) {
    return {
      error: `Invalid attribute key - [${key}]. The key should be one of [${standardKeys}] or a custom attribute defined in the account.`,
    };
  }
  const operator = record.filter_operator;
  if (typeof operator !== 'string' || !(attribute.operators as readonly string[]).includes(operator)) {
    return {
      error: `Invalid operator. The allowed operators for ${key} are [${attribute.operators.join(',')}].`,
    };
  }
  const list = Array.isArray(values) ? values : [values];
  const queryOperator = record.query_operator;
  const joinNext =
    queryOperator === null || queryOperator === undefined || queryOperator === ''
      ? null
      : String(queryOperator).toUpperCase() === 'OR'
        ? 'OR'
        : 'AND';
  if (last && joinNext !== null) return { error: 'sql-syntax' };
  return {
    key,
    attribute,
    operator: operator as Operator,
    values: list.filter((value) => typeof value === 'string' || typeof value === 'number').map(String),
    joinNext,
  };
}

/**
 * `POST /contacts/filter` (`Contacts::FilterService`, `app/helpers/filters/filter_helper.rb`):
 * conditions joined by their `query_operator` as raw SQL (AND binds tighter than OR), over the
 * "resolved" contacts (an email, phone or identifier). Errors are 422 texts, except a missing
 * payload and an operator on the last condition, which break the SQL (500).
 */
export function filterContacts(
  contacts: readonly FakeContact[],
  payload: unknown,
): { contacts: FakeContact[] } | { error: string } | { serverError: true } {
  if (!Array.isArray(payload)) return { serverError: true };
  for (const raw of payload) {
    const operator = (raw as Record<string, unknown> | null)?.query_operator;
    if (
      operator !== null &&
      operator !== undefined &&
      operator !== '' &&
      !/^(and|or)$/i.test(String(operator))
    )
      return { error: 'Query operator must be either "AND" or "OR".' };
  }
  const conditions: Condition[] = [];
  for (const [index, raw] of payload.entries()) {
    const condition = readCondition(raw, index === payload.length - 1);
    if ('error' in condition) return condition.error === 'sql-syntax' ? { serverError: true } : condition;
    conditions.push(condition);
  }
  const resolved = contacts.filter(
    (contact) =>
      (contact.email ?? '') !== '' || (contact.phoneNumber ?? '') !== '' || (contact.identifier ?? '') !== '',
  );
  if (conditions.length === 0) return { contacts: resolved };
  return {
    contacts: resolved.filter((contact) => {
      let anyGroup = false;
      let group = true;
      conditions.forEach((condition, index) => {
        group = group && matches(condition, contact);
        const last = index === conditions.length - 1;
        if (last || condition.joinNext === 'OR') {
          anyGroup = anyGroup || group;
          group = true;
        }
      });
      return anyGroup;
    }),
  };
}
