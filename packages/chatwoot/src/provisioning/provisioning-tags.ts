// The attributes provisioning leaves on what it creates, to find it again on the next run.

/** In the account's `custom_attributes` (permitted by the platform `accounts#create`). */
export const organizationTag = 'handoff_organization_id';
/** In an API inbox channel's `additional_attributes` (`Channel::Api::EDITABLE_ATTRS`). */
export const chatbotTag = 'handoff_chatbot_id';
/** Beside it: the chatbot's webhook URL, for deprovisioning to find the account webhook. */
export const webhookUrlTag = 'handoff_webhook_url';

export const tagOf = (attributes: Record<string, unknown> | null | undefined, tag: string) => {
  const value = attributes?.[tag];
  return typeof value === 'string' ? value : undefined;
};
