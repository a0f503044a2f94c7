/** Every message the adapter posts carries this prefix in `source_id`: how echoes are recognised. */
export const sourceIdPrefix = 'handoff:';

/** Custom attribute of the conversations the adapter opens: the bot session they belong to. */
export const sessionAttribute = 'handoff_session_id';

/** Custom attribute of the conversations the adapter opens: the handoff that opened them. */
export const handoffAttribute = 'handoff_id';
