import type { ContractPoint } from '../contract-point.js';
import { abortPoints } from './abort.js';
import { agentEventPoints } from './agent-events.js';
import { attachmentPoints } from './attachments.js';
import { availabilityPoints } from './availability.js';
import { catchUpPoints } from './catch-up.js';
import { closeSessionPoints } from './close-session.js';
import { echoPoints } from './echoes.js';
import { ensureUserPoints } from './ensure-user.js';
import { errorPoints } from './errors.js';
import { limitPoints } from './limits.js';
import { listTeamsPoints } from './list-teams.js';
import { openConversationPoints } from './open-conversation.js';
import { operationPoints } from './operations.js';
import { optionPoints } from './options.js';
import { postMessagesPoints } from './post-messages.js';
import { recoverPoints } from './recover.js';
import { secretPoints } from './secrets.js';
import { sequencePoints } from './sequences.js';
import { severalPoints } from './several.js';
import { transferPoints } from './transfer.js';
import { webhookFreshnessPoints } from './webhook-freshness.js';
import { webhookVerificationPoints } from './webhook-verification.js';

/** Every point of the support contract, in report order. */
export const contractPoints: readonly ContractPoint[] = [
  ...operationPoints,
  ...ensureUserPoints,
  ...openConversationPoints,
  ...postMessagesPoints,
  ...listTeamsPoints,
  ...transferPoints,
  ...closeSessionPoints,
  ...agentEventPoints,
  ...attachmentPoints,
  ...availabilityPoints,
  ...catchUpPoints,
  ...webhookVerificationPoints,
  ...webhookFreshnessPoints,
  ...errorPoints,
  ...abortPoints,
  ...recoverPoints,
  ...severalPoints,
  ...optionPoints,
  ...limitPoints,
  ...echoPoints,
  ...secretPoints,
  ...sequencePoints,
];
