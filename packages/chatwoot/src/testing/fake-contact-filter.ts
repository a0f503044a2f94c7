import type { FakeContact } from './fake-records.js';

type Operator = 'equal_to' | 'not_equal_to' | 'contains' | 'does_not_contain' | 'starts_with';

interface FilterableAttribute {
  operators: readonly Operator[];
  read: (contact: FakeContact) => string | null;
  /** How Chatwoot normalises the filter values before comparing. */
  normalise?: (value: string) => string;
}

/**
 * The standard contact filter keys the fake supports (a subset of `filter_keys.yml`, notes §1.2).
 * Text comparisons are case-insensitive, identifier included.
 */
const attributes: Record<string, FilterableAttribute> = {
  identifier: { operators: ['equal_to', 'not_equal_to'], read: (contact) => contact.identifier },
  email: {
    operators: ['equal_to', 'not_equal_to', 'contains', 'does_not_contain'],
    read: (contact) => contact.email,
  },
  phone_number: {
    operators: ['equal_to', 'not_equal_to', 'contains', 'does_not_contain', 'starts_with'],
    read: (contact) => contact.phoneNumber,
    normalise: (value) => `+${value.replace(/\D/g, '')}`,
  },
  name: {
    operators: ['equal_to', 'not_equal_to', 'contains', 'does_not_contain'],
    read: (contact) => contact.name,
  },
};

interface Condition {
  attribute: FilterableAttribute;
  operator: Operator;
  values: string[];
  /** How this condition joins the next one. */
  joinNext: 'AND' | 'OR';
}

function matches(condition: Condition, contact: FakeContact): boolean {
  const actual = (condition.attribute.read(contact) ?? '').toLowerCase();
  const values = condition.values.map((value) =>
    (condition.attribute.normalise?.(value) ?? value).toLowerCase(),
  );
  const first = values[0] ?? '';
  switch (condition.operator) {
    case 'equal_to':
      return values.includes(actual);
    case 'not_equal_to':
      return !values.includes(actual);
    case 'contains':
      return actual.includes(first);
    case 'does_not_contain':
      return !actual.includes(first);
    case 'starts_with':
      return actual.startsWith(first);
  }
}

function readCondition(raw: unknown): Condition | { error: string } {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const key = typeof record.attribute_key === 'string' ? record.attribute_key : '';
  const attribute = attributes[key];
  if (attribute === undefined) {
    return {
      error: `Invalid attribute key - [${key}]. The allowed keys are [${Object.keys(attributes).join(',')}]`,
    };
  }
  const operator = record.filter_operator;
  if (typeof operator !== 'string' || !(attribute.operators as readonly string[]).includes(operator)) {
    return {
      error: `Invalid operator. The allowed operators for ${key} are [${attribute.operators.join(',')}].`,
    };
  }
  const rawValues = Array.isArray(record.values) ? record.values : [record.values];
  const values = rawValues
    .filter((value) => typeof value === 'string' || typeof value === 'number')
    .map(String);
  const joinNext = String(record.query_operator ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND';
  return { attribute, operator: operator as Operator, values, joinNext };
}

/**
 * `POST /contacts/filter` (notes §1.2): conditions joined by their `query_operator` (AND binds
 * tighter than OR, as in the SQL Chatwoot builds), over "resolved" contacts only (those with an
 * email, phone or identifier). A bad key or operator is an error message for a 422.
 */
export function filterContacts(
  contacts: readonly FakeContact[],
  payload: unknown,
): { contacts: FakeContact[] } | { error: string } {
  if (!Array.isArray(payload) || payload.length === 0) {
    return { error: 'param is missing or the value is empty: payload' };
  }
  const conditions: Condition[] = [];
  for (const raw of payload) {
    const condition = readCondition(raw);
    if ('error' in condition) return condition;
    conditions.push(condition);
  }
  const resolved = contacts.filter(
    (contact) =>
      (contact.email ?? '') !== '' || (contact.phoneNumber ?? '') !== '' || (contact.identifier ?? '') !== '',
  );
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
