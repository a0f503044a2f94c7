import type { BotHostEngine, HandoffEngine, HandoffStores, LiveEventHub, SkillRouter } from '@handoff/core';
import type { RuntimeConfig } from '../config/runtime-config.js';
import type { RuntimeMetrics } from '../observability/metrics.js';
import type { SupportInstance } from '../support/create-support.js';
import type { BearerAuth } from './bearer-auth.js';

/** What the routes use. */
export interface RouteContext {
  config: RuntimeConfig;
  engine: HandoffEngine;
  router: SkillRouter;
  stores: HandoffStores;
  hub: LiveEventHub;
  auth: BearerAuth;
  support: SupportInstance;
  metrics: RuntimeMetrics;
  /** Internal mode, when configured: the agent-bot instance and its engine. */
  agentBot?: { name: string; engine: BotHostEngine };
}
