// Outbound messages for the points: plain ones, and one with everything a message can carry.
import type { OutboundMessage } from '@handoff/core';

export function outboundMessage(id: string, text = `text of ${id}`): OutboundMessage {
  return { id, kind: 'agent', text, createdAt: new Date(0).toISOString() };
}

/** Every field set, with text that trips naive encodings. */
export function richOutboundMessage(id: string): OutboundMessage {
  return {
    id,
    kind: 'agent',
    text: 'héllo 👋 \u202e "quoted" \\ back\nslash end',
    attachments: [
      {
        url: 'https://files.example.com/a?x=1&y=2',
        name: 'März.pdf',
        contentType: 'application/pdf',
        size: 3,
      },
    ],
    agent: { id: '7', name: 'Zoë' },
    createdAt: new Date(1_700_000_000_000).toISOString(),
  };
}
