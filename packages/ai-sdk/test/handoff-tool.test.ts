// The handoff tool's description and input, and the default check for promises of a person.

import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { handoffTool } from '../src/handoff-tool.js';
import { promisesHuman } from '../src/promise-check.js';

describe('handoff tool', () => {
  it('lists the topics and skills the model may name, and takes any team spelling (routing resolves it)', () => {
    const tool = handoffTool({
      teams: [{ label: 'Billing', description: 'refunds and invoices' }, 'Orders'],
      skills: ['acme.shop.Refund'],
    });
    expect(tool.description).toContain('- Billing: refunds and invoices\n- Orders');
    expect(tool.description).toContain('- acme.shop.Refund');
    const schema = tool.inputSchema as z.ZodType;
    expect(schema.safeParse({ reason: 'refund', team: 'Billing' }).success).toBe(true);
    expect(schema.safeParse({ reason: 'refund', team: 'billing' }).success).toBe(true);
    expect(schema.safeParse({ team: 'Billing' }).success).toBe(false);
  });

  it('takes any team name when no topics are configured', () => {
    const schema = handoffTool().inputSchema as z.ZodType;
    expect(schema.safeParse({ reason: 'x', team: 'anything' }).success).toBe(true);
    expect(handoffTool().description).not.toContain('Teams');
  });
});

describe('promise of a person (default check)', () => {
  it.each([
    "I'll connect you with a human agent.",
    'Let me transfer you to our billing team.',
    'I am handing you over to a colleague now.',
    'A member of our team will be with you shortly.',
    'Someone will get back to you soon.',
    'Let me get a person for you.',
    "I'm escalating your request to a specialist.",
    "I'm unable to process refunds, so I'll transfer you to billing.",
    "I can't see your order. Let me transfer you to our support team.",
  ])('catches "%s"', (text) => {
    expect(promisesHuman(text)).toBe(true);
  });

  it.each([
    'Your order ships tomorrow.',
    "I can't connect you to an agent right now, but I can help with your order.",
    'Our team works Monday to Friday.',
    'Would you like me to connect you with a person?',
    'Can I connect you with a person?',
    'No agents are available right now.',
  ])('lets "%s" through', (text) => {
    expect(promisesHuman(text)).toBe(false);
  });
});
