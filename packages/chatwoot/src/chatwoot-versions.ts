import { ConfigurationError } from '@handoff/core';

/**
 * What differs between the Chatwoot releases the adapter supports, each read from Chatwoot's code
 * at the tag named (the public mirror `noktuaio/chatwoot`). The adapter and the fake Chatwoot both
 * take their behaviour from here, so a kit run per distinct set checks every supported release.
 */
export interface ChatwootBehaviours {
  /** The release these behaviours are of, for example `4.15.1`. */
  readonly version: string;
  /**
   * `X-Chatwoot-Delivery` on account and API-inbox webhooks (4.11.2,
   * `app/listeners/webhook_listener.rb` `delivery_id: SecureRandom.uuid`).
   */
  readonly inboxDeliveryIds: boolean;
  /** Account webhooks signed with the webhook's `secret` (4.11.2, `lib/webhooks/trigger.rb`). */
  readonly accountWebhooksSigned: boolean;
  /**
   * API-inbox `webhook_url` deliveries signed with the inbox secret (4.13.0,
   * `webhook_listener.rb` `secret: inbox.channel.secret`; `Channel::Api` gains `secret`).
   */
  readonly inboxWebhooksSigned: boolean;
  /**
   * Agent bots have a `secret`; their deliveries are signed and carry `X-Chatwoot-Delivery`
   * (4.13.0, `app/listeners/agent_bot_listener.rb`).
   */
  readonly agentBotWebhooksSigned: boolean;
  /** Agent-bot deliveries answered 429 or 500 are tried 3 times, 3 s apart (4.11.2, `app/jobs/agent_bots/webhook_job.rb`). */
  readonly agentBotRetries: boolean;
  /**
   * Agent bots receive `conversation_status_changed` and `conversation_updated`, not only the
   * deprecated `conversation_opened`/`conversation_resolved` (4.13.0, `agent_bot_listener.rb`).
   */
  readonly botStatusEvents: boolean;
  /** An agent-bot token may call `toggle_typing_status` (4.11.2, `access_token_auth_helper.rb`). */
  readonly botMayToggleTyping: boolean;
  /**
   * An agent-bot token may call `conversations#show` and `conversations/labels#index/create`
   * (4.14.2, `BOT_ACCESSIBLE_ENDPOINTS`); before, both answer 401.
   */
  readonly botMayReadConversations: boolean;
  /**
   * A bot token reading a conversation that has a team gets 500: `api/v1/models/_team.json.jbuilder`
   * calls `Current.user.teams`, which an `AgentBot` lacks. Every release through 4.15.1 (fixed
   * upstream after it, chatwoot#15612).
   */
  readonly botReadOfTeamConversationFails: boolean;
  /** Attachment payloads carry `content_type` (4.13.0, `app/models/attachment.rb` `push_event_data`). */
  readonly attachmentContentType: boolean;
  /**
   * Webhook message `content` normalised: `\` + newline becomes a newline (4.13.0,
   * `app/services/messages/webhook_content_normalizer.rb`).
   */
  readonly webhookContentNormalized: boolean;
  /** The normaliser also drops trailing newlines (4.14.2). */
  readonly webhookTrailingNewlinesDropped: boolean;
  /** Conversation webhook payloads carry `account {id,name}` (4.14.2, `Conversations::EventDataPresenter`). */
  readonly accountInConversationPayloads: boolean;
  /**
   * Webhooks to private or loopback addresses are refused unless the server sets
   * `SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true` (4.14.0, `lib/safe_fetch.rb`; the opt-in since 4.14.1).
   */
  readonly privateWebhookTargetsRefused: boolean;
  /** `SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true` lifts that refusal (4.14.1, `lib/safe_fetch.rb`). */
  readonly privateNetworkOptIn: boolean;
}

type Release = [major: number, minor: number, patch: number];

/** The release the adapter and the fake follow unless told otherwise. */
export const defaultChatwootVersion = '4.15.1';

/** The oldest release the adapter supports. */
const oldestChatwootVersion = '4.11.0';

function parseRelease(version: string): Release | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version.trim());
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

function atLeast(release: Release, version: string): boolean {
  const other = parseRelease(version) as Release;
  for (let index = 0; index < 3; index += 1) {
    const left = release[index] as number;
    const right = other[index] as number;
    if (left !== right) return left > right;
  }
  return true;
}

/** Why `version` cannot be used (not a version, or older than 4.11.0), or undefined when it can. */
export function unsupportedChatwootVersion(version: string): string | undefined {
  const release = parseRelease(version);
  if (release === undefined) return `"${version}" is not a version such as 4.15.1`;
  if (!atLeast(release, oldestChatwootVersion))
    return `${version} is older than ${oldestChatwootVersion}, the oldest release the adapter supports`;
  return undefined;
}

/** The behaviours of a Chatwoot release (`4.13`, `4.14.2`, `v4.15.1`). */
export function chatwootBehaviours(version: string = defaultChatwootVersion): ChatwootBehaviours {
  const problem = unsupportedChatwootVersion(version);
  const release = parseRelease(version);
  if (problem !== undefined || release === undefined) {
    throw new ConfigurationError([{ path: ['chatwootVersion'], message: problem ?? 'not a version' }], {
      source: 'Chatwoot settings',
    });
  }
  return {
    version: release.join('.'),
    inboxDeliveryIds: atLeast(release, '4.11.2'),
    accountWebhooksSigned: atLeast(release, '4.11.2'),
    inboxWebhooksSigned: atLeast(release, '4.13.0'),
    agentBotWebhooksSigned: atLeast(release, '4.13.0'),
    agentBotRetries: atLeast(release, '4.11.2'),
    botStatusEvents: atLeast(release, '4.13.0'),
    botMayToggleTyping: atLeast(release, '4.11.2'),
    botMayReadConversations: atLeast(release, '4.14.2'),
    botReadOfTeamConversationFails: true,
    attachmentContentType: atLeast(release, '4.13.0'),
    webhookContentNormalized: atLeast(release, '4.13.0'),
    webhookTrailingNewlinesDropped: atLeast(release, '4.14.2'),
    privateWebhookTargetsRefused: atLeast(release, '4.14.0'),
    privateNetworkOptIn: atLeast(release, '4.14.1'),
    accountInConversationPayloads: atLeast(release, '4.14.2'),
  };
}
