import { supportCapabilitiesSchema, supportOperations } from '@handoff/core';
import { check } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';

const suite = 'operations';

export const operationPoints: ContractPoint[] = [
  ...supportOperations.map((operation) =>
    contractPoint({
      id: `operations/${operation}`,
      suite,
      title: `implements ${operation}`,
      async run({ adapter }) {
        check(
          typeof (adapter as unknown as Record<string, unknown>)[operation] === 'function',
          `the adapter does not implement the required operation ${operation}`,
        );
      },
    }),
  ),
  contractPoint({
    id: 'operations/capabilities',
    suite,
    title: 'names its provider and declares its capabilities as data',
    async run({ adapter }) {
      check(
        typeof adapter.provider === 'string' && adapter.provider.length > 0,
        'provider must be a non-empty string',
      );
      const parsed = supportCapabilitiesSchema.safeParse(adapter.capabilities);
      check(
        parsed.success,
        `capabilities do not match the schema: ${parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      );
      const optional = adapter as unknown as Record<string, unknown>;
      for (const [capability, operation] of [
        ['catchUp', 'syncConversation'],
        ['availability', 'teamAvailability'],
      ] as const) {
        check(
          !adapter.capabilities[capability] || typeof optional[operation] === 'function',
          `the adapter declares ${capability} but does not implement ${operation}`,
        );
      }
    },
  }),
];
