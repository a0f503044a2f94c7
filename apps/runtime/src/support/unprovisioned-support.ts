// The support adapter of a chatbot on hosted Chatwoot whose account is not provisioned yet (support
// off until then): every call is refused, saying why, and nothing reaches any system.
import { chatwootCapabilities } from '@handoff/chatwoot';
import { type SupportAdapter, SupportError } from '@handoff/core';

/** An adapter that refuses every call: there is no account to call yet. */
export function createUnprovisionedSupport(bot: string): SupportAdapter {
  const refuse = (operation: string) => async (): Promise<never> => {
    throw new SupportError({
      code: 'unavailable',
      retryable: false,
      message: `chatbot ${bot} has no Chatwoot account yet: turn its support on to provision it (${operation})`,
      provider: 'chatwoot',
      operation,
    });
  };
  return {
    provider: 'chatwoot',
    capabilities: { ...chatwootCapabilities, catchUp: false, availability: false },
    ensureUser: refuse('ensureUser'),
    openConversation: refuse('openConversation'),
    postMessages: refuse('postMessages'),
    listTeams: refuse('listTeams'),
    transfer: refuse('transfer'),
    closeSession: refuse('closeSession'),
    handleWebhook: refuse('handleWebhook'),
  };
}
