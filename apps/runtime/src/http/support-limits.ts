import {
  type Attachment,
  maxMessageTextLength,
  type SupportCapabilities,
  type TextLengthUnit,
  textLengthIn,
} from '@handoff/core';
import { HttpProblem } from './http-problem.js';

const unitNames: Record<TextLengthUnit, string> = {
  code_points: 'code points',
  utf16_units: 'UTF-16 code units',
  utf8_bytes: 'UTF-8 bytes',
};

const refuse = (path: string, message: string) =>
  new HttpProblem(400, 'invalid_request', `${path}: ${message}`, [{ path, message }]);

/**
 * What the active support system could never take, refused before anything is stored or sent:
 * a text longer than it keeps (in the unit it counts), more files than one message carries, a
 * file declared larger than it takes, or any file when it takes none. Otherwise the message would
 * be accepted with a 200 and fail later, where nobody can tell the user.
 */
export function checkSupportLimits(
  capabilities: Pick<SupportCapabilities, 'textLength' | 'attachments'>,
  message: { text: string; attachments?: readonly Attachment[] | undefined },
) {
  const { max, unit } = capabilities.textLength;
  const length = textLengthIn(message.text, unit);
  if (length > max) {
    throw refuse('text', `is ${length} ${unitNames[unit]}; the support system keeps at most ${max}`);
  }
  // The engine's own limit, for a system that keeps more than every store does.
  if (message.text.length > maxMessageTextLength) {
    throw refuse(
      'text',
      `is ${message.text.length} ${unitNames.utf16_units}; a message carries at most ${maxMessageTextLength}`,
    );
  }
  const attachments = message.attachments ?? [];
  if (attachments.length === 0) return;
  const limits = capabilities.attachments;
  if (limits === false) throw refuse('attachments', 'the support system takes no attachments');
  if (attachments.length > limits.maxPerMessage) {
    throw refuse(
      'attachments',
      `are ${attachments.length}; the support system takes at most ${limits.maxPerMessage} per message`,
    );
  }
  const tooLarge = attachments.findIndex(
    (attachment) => attachment.size !== undefined && attachment.size > limits.maxBytes,
  );
  if (tooLarge !== -1) {
    throw refuse(
      `attachments[${tooLarge}].size`,
      `${attachments[tooLarge]?.size} bytes is more than the support system takes (${limits.maxBytes})`,
    );
  }
}
