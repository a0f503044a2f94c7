/**
 * A part of a webhook (or of what catching up read back) that the adapter could not read: a field
 * of the wrong type, a file without a URL. What could be read still becomes events; the parts
 * that could not are reported, never dropped in silence.
 */
export interface UnreadablePart {
  /** Where in the payload, for example `attachments[1].data_url` or `conversation.id`. */
  field: string;
  /** What is wrong with it. */
  reason: string;
  /** The event the part belonged to, when it could be told (`message:4512`). */
  eventId?: string;
}
