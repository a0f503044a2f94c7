import { htmlToPlainText } from './fake-html.js';
import type {
  FakeAdmin,
  FakeAttachment,
  FakeAuthor,
  FakeContact,
  FakeConversation,
  FakePart,
  FakeSource,
  FakeTeam,
} from './fake-records.js';
import { seedApp } from './fake-seed.js';
import { type FakeState, teamsOf } from './fake-state.js';
import { unixSeconds, unixSecondsOrNull } from './fake-time.js';

/** The JSON shapes of the 2.14 spec's examples, field for field and in their order. */

/** An Intercom id that is an integer in JSON (`admin_ids`, `team_ids`, `*_assignee_id`). */
export const integerId = (id: string): number => Number(id);

const emptyList = (url: string) => ({ type: 'list', data: [], url, total_count: 0, has_more: false });

export function contactView(contact: FakeContact) {
  const base = `/contacts/${contact.id}`;
  return {
    type: 'contact',
    id: contact.id,
    workspace_id: seedApp.idCode,
    external_id: contact.externalId,
    role: contact.role,
    // A contact without an email answers "" (recorded answers of api.intercom.io, grouparoo's
    // plugins/@grouparoo/intercom/__tests__/fixtures/integration/export-record-lifecycle.js);
    // the document types `email` as a string, never null.
    email: contact.email ?? '',
    phone: contact.phone,
    name: contact.name,
    avatar: contact.avatar,
    owner_id: contact.ownerId,
    social_profiles: { type: 'list', data: [] },
    has_hard_bounced: false,
    marked_email_as_spam: false,
    unsubscribed_from_emails: contact.unsubscribedFromEmails,
    created_at: unixSeconds(contact.createdAt),
    updated_at: unixSeconds(contact.updatedAt),
    signed_up_at: unixSecondsOrNull(contact.signedUpAt),
    last_seen_at: unixSecondsOrNull(contact.lastSeenAt),
    last_replied_at: unixSecondsOrNull(contact.lastRepliedAt),
    last_contacted_at: null,
    last_email_opened_at: null,
    last_email_clicked_at: null,
    language_override: null,
    browser: null,
    browser_version: null,
    browser_language: null,
    os: null,
    location: {
      type: 'location',
      country: null,
      region: null,
      city: null,
      country_code: null,
      continent_code: null,
    },
    android_app_name: null,
    android_app_version: null,
    android_device: null,
    android_os_version: null,
    android_sdk_version: null,
    android_last_seen_at: null,
    ios_app_name: null,
    ios_app_version: null,
    ios_device: null,
    ios_os_version: null,
    ios_sdk_version: null,
    ios_last_seen_at: null,
    custom_attributes: { ...contact.customAttributes },
    tags: emptyList(`${base}/tags`),
    notes: emptyList(`${base}/notes`),
    companies: emptyList(`${base}/companies`),
    opted_out_subscription_types: emptyList(`${base}/subscriptions`),
    opted_in_subscription_types: emptyList(`${base}/subscriptions`),
    utm_campaign: null,
    utm_content: null,
    utm_medium: null,
    utm_source: null,
    utm_term: null,
    referrer: null,
    enabled_push_messaging: null,
  };
}

export function adminView(state: FakeState, admin: FakeAdmin) {
  return {
    type: 'admin',
    id: admin.id,
    name: admin.name,
    email: admin.email,
    // `job_title` is a string in the `admin` schema; the document's admin examples leave it out
    // for teammates without one.
    ...(admin.jobTitle === null ? {} : { job_title: admin.jobTitle }),
    away_mode_enabled: admin.awayModeEnabled,
    away_mode_reassign: admin.awayModeReassign,
    away_status_reason_id: admin.awayStatusReasonId,
    has_inbox_seat: true,
    team_ids: teamsOf(state, admin.id).map((team) => integerId(team.id)),
  };
}

/** `GET /me` (`admin_with_app`). */
export function adminWithAppView(admin: FakeAdmin) {
  return {
    type: 'admin',
    id: admin.id,
    email: admin.email,
    name: admin.name,
    email_verified: true,
    app: {
      type: 'app',
      id_code: seedApp.idCode,
      name: seedApp.name,
      created_at: unixSeconds(seedApp.createdAt),
      secure: false,
      identity_verification: false,
      timezone: seedApp.timezone,
      region: seedApp.region,
    },
    avatar: {
      type: 'avatar',
      image_url: 'https://static.intercomassets.com/assets/default-avatars/admins/128.png',
    },
    has_inbox_seat: true,
  };
}

export function teamView(team: FakeTeam) {
  return {
    type: 'team',
    id: team.id,
    name: team.name,
    admin_ids: team.adminIds.map(integerId),
    admin_priority_level: null,
    assignment_limit: null,
    distribution_method: 'round_robin',
  };
}

const authorView = (author: FakeAuthor) => ({
  id: author.id,
  type: author.type,
  name: author.name,
  email: author.email,
});

/** `part_attachment`: `filesize`, `width` and `height` are integers, left out when unknown. */
function attachmentView(attachment: FakeAttachment) {
  return {
    type: attachment.type,
    name: attachment.name,
    url: attachment.url,
    content_type: attachment.contentType,
    ...(attachment.filesize === null ? {} : { filesize: attachment.filesize }),
    ...(attachment.width === null ? {} : { width: attachment.width }),
    ...(attachment.height === null ? {} : { height: attachment.height }),
  };
}

export interface BodyFormat {
  /** `display_as=plaintext`: bodies without HTML. */
  plaintext: boolean;
}

const bodyIn = (html: string | null, format: BodyFormat): string | null =>
  html === null || !format.plaintext ? html : htmlToPlainText(html);

function partView(part: FakePart, format: BodyFormat = { plaintext: false }) {
  return {
    type: 'conversation_part',
    id: part.id,
    part_type: part.partType,
    body: bodyIn(part.body, format),
    created_at: unixSeconds(part.createdAt),
    updated_at: unixSeconds(part.updatedAt),
    notified_at: unixSeconds(part.notifiedAt),
    assigned_to: part.assignedTo === null ? null : { ...part.assignedTo },
    author: authorView(part.author),
    attachments: part.attachments.map(attachmentView),
    external_id: null,
    redacted: false,
    metadata: {},
    email_message_metadata: null,
    state: part.state,
    tags: [],
    event_details: null,
    app_package_code: part.appPackageCode,
  };
}

function sourceView(source: FakeSource, format: BodyFormat) {
  return {
    type: source.type,
    id: source.id,
    delivered_as: source.deliveredAs,
    subject: source.subject,
    body: bodyIn(source.body, format),
    author: authorView(source.author),
    attachments: source.attachments.map(attachmentView),
    url: source.url,
    redacted: source.redacted,
  };
}

/**
 * A conversation as `GET /conversations/{id}`, the reply and manage answers and the webhooks show
 * it: `parts` are the parts to list (all of them, the 500 most recent, or only the new ones).
 */
export function conversationView(
  state: FakeState,
  conversation: FakeConversation,
  parts: readonly FakePart[],
  format: BodyFormat = { plaintext: false },
) {
  return {
    type: 'conversation',
    id: conversation.id,
    created_at: unixSeconds(conversation.createdAt),
    updated_at: unixSeconds(conversation.updatedAt),
    waiting_since: unixSecondsOrNull(conversation.waitingSince),
    snoozed_until: unixSecondsOrNull(conversation.snoozedUntil),
    source: sourceView(conversation.source, format),
    contacts: {
      type: 'contact.list',
      contacts: conversation.contactIds.map((id) => ({
        type: 'contact',
        id,
        external_id: state.contacts.find((contact) => contact.id === id)?.externalId ?? null,
      })),
    },
    first_contact_reply:
      conversation.firstContactReplyAt === null
        ? null
        : { created_at: unixSeconds(conversation.firstContactReplyAt), type: 'conversation', url: null },
    admin_assignee_id: conversation.adminAssigneeId,
    team_assignee_id: conversation.teamAssigneeId,
    open: conversation.state !== 'closed',
    state: conversation.state,
    read: conversation.read,
    tags: { type: 'tag.list', tags: [] },
    priority: 'not_priority',
    sla_applied: null,
    statistics: null,
    conversation_rating: null,
    teammates: null,
    title: null,
    custom_attributes: {},
    topics: {},
    ticket: null,
    linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
    ai_agent: null,
    ai_agent_participated: false,
    conversation_parts: {
      type: 'conversation_part.list',
      conversation_parts: parts.map((part) => partView(part, format)),
      total_count: parts.length,
    },
  };
}
