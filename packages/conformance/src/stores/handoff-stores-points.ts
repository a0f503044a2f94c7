// Every point of the stores kit, suite by suite.
import { basicPoints } from './basic-points.js';
import { botHostStoragePoints, chatbotStoragePoints } from './bot-host-storage-points.js';
import { botStatePoints } from './bot-state-points.js';
import { chatbotPoints } from './chatbot-points.js';
import { chatbotSupportRecordsPoints } from './chatbot-support-records-points.js';
import { fileStorePoints } from './file-store-points.js';
import { idempotencyPoints } from './idempotency-points.js';
import { installationSecretPoints } from './installation-secret-points.js';
import { liveEventHubPoints } from './live-event-hub-points.js';
import { mailboxPoints } from './mailbox-points.js';
import type { StorePoint } from './store-point.js';
import { supportRecordsPoints } from './support-records-points.js';
import { taskTurnPoints } from './task-turn-points.js';

/** The points of `HandoffStores` beyond sessions and outbox (those are `describeHandoffStorage`'s). */
export const handoffStoresPoints: readonly StorePoint[] = [
  ...basicPoints,
  ...mailboxPoints,
  ...idempotencyPoints,
  ...fileStorePoints,
  ...liveEventHubPoints,
  ...botStatePoints,
  ...installationSecretPoints,
  ...taskTurnPoints,
  ...supportRecordsPoints,
  ...chatbotSupportRecordsPoints,
  ...botHostStoragePoints,
  ...chatbotStoragePoints,
  ...chatbotPoints,
];
