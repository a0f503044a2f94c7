// The public API of @handoff/core. Its folders: contract/ (the operations and every port), session/
// (the session model and its store), delivery/ (the outbox machinery), engine/ (external mode),
// bot-host/ (internal mode), routing/, errors/, schemas/.

// Internal mode: the support system hosts the bot
export {
  type BotHostEngine,
  type BotHostEngineSettings,
  type BotHostTelemetryEvent,
  createBotHostEngine,
  type ReceiveBotWebhookResult,
} from './bot-host/bot-host-engine.js';
export {
  type BotHostPayloads,
  hostAnswersLane,
  hostEventsLane,
} from './bot-host/bot-host-outbox-items.js';
export {
  type BotConnector,
  type BotRequest,
  type BotResponse,
  botResponseSchema,
} from './contract/bot-connector.js';
export type {
  BotHostAdapter,
  HandleBotWebhookOptions,
  HandleBotWebhookResult,
  HandOffOptions,
  ReplyAsBotOptions,
  ReplyAsBotResult,
} from './contract/bot-host-adapter.js';
export type { BotHostHarness } from './contract/bot-host-harness.js';
export type { BotStateStore } from './contract/bot-state-store.js';
export type { ChannelDelivery, ChannelSink, ChannelTyping } from './contract/channel-sink.js';
export type {
  ChatbotChange,
  ChatbotChangeListener,
  ChatbotListOptions,
  ChatbotRecord,
  ChatbotStore,
  ChatbotWrite,
} from './contract/chatbot-store.js';
export type { ConversationSummarizer, SummaryRequest } from './contract/conversation-summarizer.js';
export type { FileStore, NewFile, StoredFile } from './contract/file-store.js';
export type { HandoffStorage } from './contract/handoff-storage.js';
export type { HandoffStores } from './contract/handoff-stores.js';
export type { IdempotencyStore } from './contract/idempotency-store.js';
export type { LiveEvent, LiveEventHub, LiveEventListener } from './contract/live-event-hub.js';
export type { Mailbox, MailboxEntry } from './contract/mailbox.js';
export {
  type ClaimOptions,
  mayHaveBeenDelivered,
  type NewOutboxItem,
  type NextClaimOptions,
  type Outbox,
  type OutboxCounts,
  type OutboxItem,
  type ParkedOutboxItem,
} from './contract/outbox.js';
export {
  createMemoryReplayGuard,
  type MemoryReplayGuardSettings,
  type ReplayGuard,
} from './contract/replay-guard.js';
export type { SessionStore, StoredSession } from './contract/session-store.js';
export type { SettingsIssue } from './contract/settings-issue.js';
export type {
  CallOptions,
  CloseSessionOptions,
  EnsureUserOptions,
  EnsureUserResult,
  HandleWebhookOptions,
  HandleWebhookResult,
  ListTeamsOptions,
  OpenConversationOptions,
  OpenConversationResult,
  PostMessagesOptions,
  PostMessagesResult,
  RegisteredWebhook,
  RegisterWebhookOptions,
  SupportAdapter,
  SupportOperation,
  SyncConversationOptions,
  SyncConversationResult,
  TeamAvailability,
  TeamAvailabilityOptions,
  TransferOptions,
  TransferResult,
  VerifySettingsOptions,
} from './contract/support-adapter.js';
export { supportOperations } from './contract/support-adapter.js';
export { type SupportCapabilities, supportCapabilitiesSchema } from './contract/support-capabilities.js';
export type {
  HarnessConversation,
  HarnessFault,
  HarnessMessage,
  HarnessUser,
  InjectFaultOptions,
  SupportHarness,
  WebhookRequest,
} from './contract/support-harness.js';
export type {
  ChatbotSupportRecordsStore,
  SupportRecord,
  SupportRecords,
  SupportRecordsStore,
} from './contract/support-records-store.js';
export { type TextLengthUnit, textLengthIn, textLengthUnits } from './contract/text-length.js';
export type { UnreadablePart } from './contract/unreadable-part.js';
export { type Backoff, type BackoffSettings, createBackoff } from './delivery/backoff.js';
export { createInMemoryOutbox, type InMemoryOutboxSettings } from './delivery/in-memory-outbox.js';
export {
  createOutboxWorker,
  type OutboxWorker,
  type OutboxWorkerSettings,
  PermanentDeliveryFailure,
} from './delivery/outbox-worker.js';
export {
  type BusinessHours,
  businessHoursSchema,
  type DayName,
  isOpen,
  teamIsOpen,
  type WeeklyHours,
  weeklyHoursSchema,
} from './engine/business-hours.js';
export { buildContextNote, type ContextNoteInput } from './engine/context-note.js';
export {
  channelLane,
  type EngineOutboxItem,
  eventsLane,
  type OutboxItemKind,
  type OutboxPayloads,
  supportLane,
  timerLane,
} from './engine/engine-outbox-items.js';
export {
  type CloseSessionRequest,
  createHandoffEngine,
  type EngineTelemetryEvent,
  type HandoffEngine,
  type HandoffEngineSettings,
  type RequestHandoffOptions,
  type SessionReference,
  type TranscriptMode,
  type TurnResult,
  type UserMessageOptions,
} from './engine/handoff-engine.js';
export {
  defaultNoticeTexts,
  formatNotice,
  formatTopicList,
  type NoticeCode,
  type NoticeTexts,
} from './engine/notices.js';
export { BotError, type BotErrorCode, isBotError } from './errors/bot-error.js';
export {
  ConfigurationError,
  type ConfigurationIssue,
  type ConfigurationPath,
  formatConfigurationPath,
  isConfigurationError,
  parseConfiguration,
} from './errors/configuration-error.js';
export { InputError, isInputError } from './errors/input-error.js';
export {
  isStorageUnavailableError,
  StorageUnavailableError,
} from './errors/storage-unavailable-error.js';
export {
  isRetryableByDefault,
  isSupportError,
  SupportError,
  type SupportErrorCode,
  type SupportErrorSettings,
  supportErrorCodes,
} from './errors/support-error.js';
export {
  isWebhookVerificationError,
  WebhookVerificationError,
  type WebhookVerificationReason,
  webhookVerificationReasons,
} from './errors/webhook-verification-error.js';
// Skill-based routing
export {
  type RoutingEntry,
  type RoutingPriority,
  type RoutingPriorityInput,
  routingEntrySchema,
  routingPrioritySchema,
} from './routing/routing-priority.js';
export { isSkillName, parseSkillPattern, type SkillPattern } from './routing/skill-name.js';
export {
  createSkillRouter,
  type RoutingDecision,
  type RoutingOptions,
  type RoutingReason,
  type RoutingTarget,
  type RoutingTopic,
  type SkillRouter,
} from './routing/skill-router.js';
// Schemas of everything that crosses a boundary
export { type Attachment, attachmentSchema } from './schemas/attachment.js';
export {
  type BotHostEvent,
  botHostEventSchema,
  type ContactMessageEvent,
  type ConversationHolder,
  conversationHolderSchema,
  type HolderChangedEvent,
  type HostContact,
  hostContactSchema,
} from './schemas/bot-host-event.js';
export { type HandoffRequest, handoffRequestSchema } from './schemas/handoff-request.js';
export { maxMessageTextLength, messageTextSchema } from './schemas/message-text.js';
export {
  type Agent,
  type AgentAssignedEvent,
  type AgentMessageEvent,
  type AgentNoteEvent,
  type AgentTypingEvent,
  agentAssignedEventSchema,
  agentMessageEventSchema,
  agentNoteEventSchema,
  agentSchema,
  agentTypingEventSchema,
  type ConversationClosedEvent,
  conversationClosedEventSchema,
  type SupportEvent,
  type SupportEventType,
  supportEventSchema,
} from './schemas/support-event.js';
export { type SupportUser, supportUserSchema, userAttributeValueSchema } from './schemas/support-user.js';
export { type Team, teamSchema } from './schemas/team.js';
export {
  type MessageAuthor,
  maxAttachmentsPerMessage,
  messageAuthorSchema,
  type TranscriptMessage,
  transcriptMessageSchema,
} from './schemas/transcript-message.js';
export type {
  HandoffSession,
  HumanPartMessage,
  OutboundMessage,
  PreviousConversation,
  SessionConversation,
  SessionHandoff,
  SessionMode,
  SessionReturn,
  UserProfile,
} from './session/handoff-session.js';
export { indexedConversationId, sessionKey } from './session/handoff-session.js';
export { createInMemorySessionStore } from './session/in-memory-session-store.js';
export { createInMemoryStorage } from './session/in-memory-storage.js';
export { createInMemoryChatbotStore } from './stores/in-memory-chatbot-store.js';
export { createInMemoryStores, type InMemoryStoresSettings } from './stores/in-memory-stores.js';
export { createInMemorySupportRecordsStore } from './stores/in-memory-support-records-store.js';
export { createInProcessLiveEventHub } from './stores/in-process-live-event-hub.js';
export { createLiveEventListeners, type LiveEventListeners } from './stores/live-event-listeners.js';
export { type OutboxRow, outboxItemFromRow } from './stores/outbox-row.js';
export { storedFileOf } from './stores/stored-file-of.js';
