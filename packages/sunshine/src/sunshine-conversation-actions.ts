import { SupportError } from '@handoff/core';
import { z } from 'zod';
import type { SunshineClients } from './sunshine-client.js';
import { agentWorkspaceIntegrationType, ownMessageKeys } from './sunshine-metadata.js';
import {
  conversationResponseSchema,
  messageListSchema,
  messagePostResponseSchema,
  type SunshineConversation,
  type SunshineMessage,
  type SwitchboardIntegrationRef,
  switchboardIntegrationListSchema,
  switchboardListSchema,
} from './sunshine-responses.js';

const provider = 'sunshine';

/** The most pages of 100 messages a retry reads back to find what it already posted. */
const maxMessagePages = 20;

export interface ConversationActionsSettings {
  clients: SunshineClients;
  /** Our custom integration. */
  integrationId: string;
  /** Our switchboard integration (id or name), when the settings name it. */
  switchboardIntegration?: string | undefined;
}

export type MessageAuthor = { type: 'user'; userId: string } | { type: 'business'; displayName: string };

/** Whether `integration` is the Agent Workspace. */
export const isAgentWorkspace = (integration: SwitchboardIntegrationRef | null | undefined) =>
  integration?.integrationType === agentWorkspaceIntegrationType;

/** The value of our metadata keys on a message (undefined for anyone else's). */
export function ownKeyOf(message: {
  metadata?: Record<string, unknown> | null | undefined;
}): string | undefined {
  for (const key of ownMessageKeys) {
    const value = message.metadata?.[key];
    if (typeof value === 'string' && value !== '') return `${key}:${value}`;
  }
  return undefined;
}

/** The Sunshine Conversations calls both modes make on a conversation. */
export function createConversationActions(settings: ConversationActionsSettings) {
  const { clients } = settings;
  const { sunshine, appPath } = clients;
  let ownSwitchboardIntegration: string | undefined = settings.switchboardIntegration;
  const conversationPath = (conversationId: string, rest = '') =>
    appPath(`/conversations/${encodeURIComponent(conversationId)}${rest}`);

  const actions = {
    /** Whether a switchboard integration is ours (the active one of a webhook or a conversation). */
    isOurs(integration: SwitchboardIntegrationRef | null | undefined): boolean {
      if (integration === null || integration === undefined) return false;
      if (integration.integrationId === settings.integrationId) return true;
      const known = ownSwitchboardIntegration;
      return known !== undefined && (integration.id === known || integration.name === known);
    },

    async getConversation(
      operation: string,
      conversationId: string,
      signal?: AbortSignal,
    ): Promise<SunshineConversation> {
      const { conversation } = await sunshine.call({
        operation,
        method: 'GET',
        path: conversationPath(conversationId),
        schema: conversationResponseSchema,
        signal,
      });
      return conversation;
    },

    /**
     * Our switchboard integration as `passControl` takes it: from the settings, else the one of
     * our custom integration in the app's switchboard (read once).
     */
    async ownSwitchboardIntegration(operation: string, signal?: AbortSignal): Promise<string> {
      if (ownSwitchboardIntegration !== undefined) return ownSwitchboardIntegration;
      const { switchboards } = await sunshine.call({
        operation,
        method: 'GET',
        path: appPath('/switchboards'),
        schema: switchboardListSchema,
        signal,
      });
      for (const switchboard of switchboards) {
        const { switchboardIntegrations } = await sunshine.call({
          operation,
          method: 'GET',
          path: appPath(`/switchboards/${encodeURIComponent(switchboard.id)}/switchboardIntegrations`),
          schema: switchboardIntegrationListSchema,
          signal,
        });
        const ours = switchboardIntegrations.find((entry) => entry.integrationId === settings.integrationId);
        if (ours !== undefined) {
          ownSwitchboardIntegration = ours.id;
          return ours.id;
        }
      }
      throw new SupportError({
        code: 'invalid_request',
        message: `the app's switchboard has no switchboard integration for the custom integration ${settings.integrationId}: create one (POST /v2/apps/{appId}/switchboards/{switchboardId}/switchboardIntegrations) or name it in the switchboardIntegration setting`,
        provider,
        operation,
      });
    },

    async passControl(
      operation: string,
      conversationId: string,
      switchboardIntegration: string,
      metadata: Record<string, string | number | boolean> | undefined,
      signal?: AbortSignal,
    ): Promise<void> {
      await sunshine.call({
        operation,
        method: 'POST',
        path: conversationPath(conversationId, '/passControl'),
        json: { switchboardIntegration, ...(metadata === undefined ? {} : { metadata }) },
        schema: z.unknown(),
        signal,
      });
    },

    async releaseControl(
      operation: string,
      conversationId: string,
      metadata: Record<string, string | number | boolean>,
      signal?: AbortSignal,
    ): Promise<void> {
      await sunshine.call({
        operation,
        method: 'POST',
        path: conversationPath(conversationId, '/releaseControl'),
        json: { metadata },
        schema: z.unknown(),
        signal,
      });
    },

    /** Posts one text message; answers its Sunshine Conversations id. */
    async postText(
      operation: string,
      conversationId: string,
      message: {
        author: MessageAuthor;
        text: string;
        metadata: Record<string, string>;
        /** A silent message: kept in the conversation (agents see it), delivered to no channel. */
        silent?: boolean;
      },
      signal?: AbortSignal,
    ): Promise<string> {
      const answer = await sunshine.call({
        operation,
        method: 'POST',
        path: conversationPath(conversationId, '/messages'),
        json: {
          author: message.author,
          content: { type: 'text', text: message.text },
          metadata: message.metadata,
          ...(message.silent === true ? { destination: { integrationType: 'none' } } : {}),
        },
        schema: messagePostResponseSchema,
        signal,
      });
      const posted = answer.messages.at(-1);
      if (posted === undefined) {
        throw new SupportError({
          code: 'invalid_response',
          message: `sunshine ${operation} answered no message for the post`,
          provider,
          operation,
        });
      }
      return posted.id;
    },

    /**
     * The conversation's messages, oldest first: the latest page and, while `until` does not say
     * enough was read, earlier ones (ListMessages pages backwards, 100 a page).
     */
    async messages(
      operation: string,
      conversationId: string,
      signal?: AbortSignal,
      until: (messages: readonly SunshineMessage[]) => boolean = () => false,
    ): Promise<SunshineMessage[]> {
      const pages: SunshineMessage[][] = [];
      let before: string | undefined;
      for (let page = 0; page < maxMessagePages; page += 1) {
        const answer = await sunshine.call({
          operation,
          method: 'GET',
          path: conversationPath(conversationId, '/messages'),
          ...(before === undefined ? {} : { query: { 'page[before]': before } }),
          schema: messageListSchema,
          signal,
        });
        pages.unshift(answer.messages);
        const all = pages.flat();
        before = answer.meta?.beforeCursor ?? answer.messages[0]?.id;
        if (answer.meta?.hasMore !== true || before === undefined || answer.messages.length === 0) return all;
        if (until(all)) return all;
      }
      return pages.flat();
    },
  };
  return actions;
}

export type ConversationActions = ReturnType<typeof createConversationActions>;
