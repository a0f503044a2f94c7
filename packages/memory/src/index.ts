export {
  createMemoryAdapter,
  type MemoryAdapterSettings,
  memoryCapabilities,
} from './adapter/memory-adapter.js';
export type {
  MemoryCounters,
  MemorySystemChange,
  MemorySystemPersistence,
} from './system/change-journal.js';
export {
  createMemorySupportSystem,
  defaultMemoryAgents,
  defaultMemoryTeams,
  type MemoryApiOperation,
  type MemoryApiRequest,
  type MemoryApiResponse,
  type MemoryConversationSummary,
  type MemorySupportSystem,
  type MemorySupportSystemSettings,
  type MemorySystemState,
  type MemoryWebhookPayload,
} from './system/memory-support-system.js';
export type {
  MemoryAgent,
  MemoryAuthor,
  MemoryConversation,
  MemoryConversationStatus,
  MemoryMessage,
  MemoryTeam,
  MemoryUser,
} from './system/records.js';
export { memoryWebhookHeaders, type WebhookListener } from './system/webhook-emitter.js';
