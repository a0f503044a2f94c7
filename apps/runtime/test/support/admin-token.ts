// The admin token the chatbot tests give their runtimes, and the settings of a chatbot as read.

export const adminToken = 'admin-token-0123456789abcdef';
export const admin = { authorization: `Bearer ${adminToken}` };

/** A chatbot as the admin API answers it, without what it says about itself: a full update's body. */
export function settingsOf(view: Record<string, unknown>): Record<string, unknown> {
  const {
    id: _id,
    revision: _revision,
    source: _source,
    createdAt: _created,
    updatedAt: _updated,
    ...settings
  } = view;
  return settings;
}
