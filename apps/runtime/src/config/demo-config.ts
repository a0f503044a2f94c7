import type { RuntimeConfigInput } from './runtime-config.js';

/**
 * What the runtime runs without a config file: the demo bot, the in-process support system with
 * its agent console, and SQLite under `.handoff/`. Routing matches the demo bot's skills.
 */
export const demoConfig: RuntimeConfigInput = {
  storage: { type: 'sqlite', path: '.handoff/demo.db' },
  bot: { type: 'demo' },
  support: { type: 'in-process', name: 'memory' },
  routing: {
    defaultTeam: { team: '1', label: 'Support' },
    teams: [
      { team: '2', label: 'Billing', skills: ['demo.shop.Refund', 'demo.billing.*'] },
      { team: '3', label: 'Orders', skills: ['demo.shop.OrderStatus'] },
      { team: '4', label: 'Accounts', skills: ['demo.account.*'] },
    ],
    askWhenNoSkill: true,
  },
  channels: { web: {} },
};
