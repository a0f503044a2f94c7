import type { SpecException } from '@handoff/conformance';

/**
 * Where Chatwoot's official document contradicts the server's code, one line each, with the file
 * of Chatwoot v4.15.1 that proves it. A problem is excused only when method, path template and
 * field all match.
 */

export const chatwootSpecExceptions: readonly SpecException[] = [
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/contacts/filter',
    field: 'body.payload[].query_operator',
    why: 'the last filter of a payload has query_operator null in the server code; the document allows only AND and OR (app/services/contacts/filter_service.rb builds the SQL from each query_operator; the last is null)',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations',
    field: 'body.source_id',
    why: 'the document requires source_id; the server makes it optional when inbox_id and contact_id are given (ConversationsController#contact_inbox builds it with ContactInboxBuilder when inbox_id and contact_id are given)',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages',
    field: 'body.source_id',
    why: 'messages create permits source_id (stored and echoed in webhooks); the document omits it (Messages::MessageBuilder stores params[:source_id])',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages',
    field: 'body.sender_type',
    why: 'sender_type AgentBot attributes an outgoing message to an agent bot; the document omits it (Messages::MessageBuilder#sender)',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages',
    field: 'body.sender_id',
    why: 'sender_id names the agent bot for sender_type AgentBot; the document omits it (Messages::MessageBuilder#sender)',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations',
    field: 'body.message.message_type',
    why: "the first message goes through Messages::MessageBuilder, which takes message_type (incoming for a user's turn); the document lists only content and template_params (ConversationsController#create passes params[:message] to Messages::MessageBuilder)",
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations',
    field: 'body.message.private',
    why: "the first message's MessageBuilder takes private (app/builders/messages/message_builder.rb); the document lists only content and template_params",
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations',
    field: 'body.message.source_id',
    why: "the first message's MessageBuilder takes source_id, the marker echoes and retries are recognised by (app/builders/messages/message_builder.rb); the document lists only content and template_params",
  },
  {
    method: 'GET',
    path: '/api/v1/accounts/{account_id}/conversations/{conversation_id}/labels',
    field: 'auth',
    why: 'conversations/labels#index is among the endpoints agent bots may call (BOT_ACCESSIBLE_ENDPOINTS, app/controllers/concerns/access_token_auth_helper.rb); the document lists user tokens only',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations/{conversation_id}/labels',
    field: 'auth',
    why: 'conversations/labels#create is among the endpoints agent bots may call (BOT_ACCESSIBLE_ENDPOINTS, app/controllers/concerns/access_token_auth_helper.rb); the document lists user tokens only',
  },
];

/** Where the document describes Chatwoot's answers wrongly, one line each, with the proof. */
export const chatwootResponseExceptions: readonly SpecException[] = [
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/contacts',
    field: 'response.payload',
    why: 'contacts#create renders `payload: {contact, contact_inbox}` (app/views/api/v1/accounts/contacts/create.json.jbuilder); the document says a list',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/contacts',
    field: 'response.status',
    why: 'a contact that fails its validations (identifier, email or phone taken, e164, 255 characters; app/models/contact.rb) is a 422 {message, attributes} (request_exception_handler.rb render_record_invalid); the document lists no 422',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_status',
    field: 'response.payload.success',
    why: 'an agent bot opening a pending conversation goes through bot_handoff! and never sets @status (conversations_controller.rb toggle_status), so toggle_status.json.jbuilder renders success: null',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/conversations/{conversation_id}/assignments',
    field: 'response',
    why: 'an unknown team_id answers `render json: nil` after clearing the team (conversations/assignments_controller.rb set_team): the body is null, not an object',
  },
  {
    method: 'GET',
    path: '/api/v1/accounts/{account_id}/webhooks',
    field: 'response',
    why: 'webhooks#index renders `payload: {webhooks: [...]}` (app/views/api/v1/accounts/webhooks/index.json.jbuilder); the document says a bare array',
  },
  {
    method: 'GET',
    path: '/api/v1/accounts/{account_id}/agent_bots/{id}',
    field: 'response.outgoing_url',
    why: 'the agent bot partial renders resource.outgoing_url, nil for a bot without a webhook URL (app/views/api/v1/models/_agent_bot.json.jbuilder; agent_bots.outgoing_url is nullable in db/schema.rb); the document says a string',
  },
  ...['widget_color', 'website_url', 'website_token', 'web_widget_script', 'reply_time'].map((key) => ({
    method: 'GET',
    path: '/api/v1/accounts/{account_id}/inboxes/{id}',
    field: `response.${key}`,
    why: `the inbox partial renders ${key} as resource.channel.try(:${key}), nil for an API inbox (app/views/api/v1/models/_inbox.json.jbuilder); the document says a string`,
  })),
];

/**
 * Where the Platform API document (`platform_swagger.json`) contradicts the server's code:
 * requests. Paths are templates, but for an operation the document lacks, whose problem names the
 * request's own path (the provisioning run's first new user is 9).
 */
export const platformSpecExceptions: readonly SpecException[] = [
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/inboxes/{id}/set_agent_bot',
    field: 'body.agent_bot',
    why: 'agent_bot null detaches the bot: fetch_agent_bot looks a bot up only `if params[:agent_bot]`, and set_agent_bot then destroys the agent_bot_inbox (app/controllers/api/v1/accounts/inboxes_controller.rb:60-69,89-91); the document says a number',
  },
  {
    method: 'DELETE',
    path: '/platform/api/v1/accounts/{account_id}/account_users',
    field: 'body',
    why: 'account_users#destroy removes the member named by the user_id parameter (app/controllers/platform/api/v1/account_users_controller.rb:16,27); the document gives the operation no body',
  },
  {
    method: 'GET',
    path: '/platform/api/v1/accounts',
    field: 'operation',
    why: 'accounts#index lists the accounts the app created (config/routes.rb:556 `only: [:index, ...]`, app/controllers/platform/api/v1/accounts_controller.rb:2-7); the document lacks the operation',
  },
  {
    method: 'POST',
    path: '/platform/api/v1/users/9/token',
    field: 'operation',
    why: "users#token answers the user's access token (config/routes.rb:550 `post :token`, users_controller.rb:5-6,21, app/views/platform/api/v1/users/token.json.jbuilder); the document lacks the operation",
  },
];

const invalidRecord = (method: string, path: string, save: string): SpecException => ({
  method,
  path,
  field: 'response.status',
  why: `a record failing its validations is a 422 {message, attributes}: ${save} raises RecordInvalid, which PlatformController rescues (app/controllers/platform_controller.rb:2, app/controllers/concerns/request_exception_handler.rb:5,46-52); the document lists no 422`,
});

const userRoleAndAccount = (method: string, path: string): SpecException[] =>
  ['account_id', 'role'].map((key) => ({
    method,
    path,
    field: `response.${key}`,
    why: `the user partial renders ${key} as resource.active_account_user&.${key}, null for a user of no account yet (app/views/platform/api/v1/models/_user.json.jbuilder:${key === 'role' ? 14 : 2}); the document says a ${key === 'role' ? 'role name' : 'number'}`,
  }));

const botAccountAndDescription = (method: string, path: string, at = 'response'): SpecException[] => [
  {
    method,
    path,
    field: `${at}.account_id`,
    why: 'the platform agent bot partial renders resource.account_id, null for a bot of no account (app/views/platform/api/v1/models/_agent_bot.json.jbuilder:5; belongs_to :account, optional: true, app/models/agent_bot.rb:40); the document says a number',
  },
  {
    method,
    path,
    field: `${at}.description`,
    why: 'the platform agent bot partial renders resource.description, null when none was given (_agent_bot.json.jbuilder:3; AgentBot validates only outgoing_url, app/models/agent_bot.rb:43); the document says a string',
  },
];

/** Where the Platform API document describes Chatwoot's answers wrongly. */
export const platformResponseExceptions: readonly SpecException[] = [
  invalidRecord('POST', '/platform/api/v1/accounts', 'Account.create! (accounts_controller.rb:12)'),
  invalidRecord(
    'PATCH',
    '/platform/api/v1/accounts/{account_id}',
    '@resource.save! (accounts_controller.rb:21)',
  ),
  invalidRecord(
    'POST',
    '/platform/api/v1/accounts/{account_id}/account_users',
    '@account_user.update! (account_users_controller.rb:11; belongs_to :user gives "User must exist")',
  ),
  invalidRecord('POST', '/platform/api/v1/users', '@resource.save! (users_controller.rb:13)'),
  ...userRoleAndAccount('POST', '/platform/api/v1/users'),
  ...userRoleAndAccount('GET', '/platform/api/v1/users/{id}'),
  ...userRoleAndAccount('PATCH', '/platform/api/v1/users/{id}'),
  ...botAccountAndDescription('POST', '/platform/api/v1/agent_bots'),
  ...botAccountAndDescription('GET', '/platform/api/v1/agent_bots/{id}'),
  ...botAccountAndDescription('GET', '/platform/api/v1/agent_bots', 'response[]'),
  botAccountAndDescription('PATCH', '/platform/api/v1/agent_bots/{id}')[0] as SpecException,
  // The Application API calls a provisioner makes in the new account.
  ...[
    'POST /api/v1/accounts/{account_id}/inboxes',
    'PATCH /api/v1/accounts/{account_id}/inboxes/{id}',
  ].flatMap((operation) => {
    const [method = '', path = ''] = operation.split(' ');
    return ['widget_color', 'website_url', 'website_token', 'web_widget_script', 'reply_time'].map((key) => ({
      method,
      path,
      field: `response.${key}`,
      why: `the inbox partial renders ${key} as resource.channel.try(:${key}), nil for an API inbox (app/views/api/v1/models/_inbox.json.jbuilder:37-45); the document says a string`,
    }));
  }),
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/teams',
    field: 'response.status',
    why: 'a blank or taken name is a 422 {message, attributes}: teams#create runs save! (app/controllers/api/v1/accounts/teams_controller.rb:11-14) against `validates :name, presence, uniqueness: { scope: :account_id }` (app/models/team.rb:26-28), and RecordInvalid is rendered by request_exception_handler.rb:5,46-52; no team parameters at all is ParameterMissing, a 422 {error} (teams_controller.rb:31-33, request_exception_handler.rb:18-20); the document lists 200 and 401 only',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/teams/{team_id}/team_members',
    field: 'response.status',
    why: 'refusals are 401, not 403: a non-administrator fails TeamMemberPolicy#create? (app/policies/team_member_policy.rb:6-8, checked by team_members_controller.rb:3 through api/base_controller.rb:14-18), a Pundit::NotAuthorizedError rendered 401 by request_exception_handler.rb:15-17; a user id outside the account renders 401 {error: "Invalid User IDs"} (team_members_controller.rb:50-54); the document lists 403, 404 and 422',
  },
  {
    method: 'GET',
    path: '/api/v1/accounts/{account_id}/inboxes/{id}/agent_bot',
    field: 'response.status',
    why: 'inboxes#agent_bot renders agent_bot.json.jbuilder (`{agent_bot: {...}}`, or `{}` with no bot) with a 200 (app/controllers/api/v1/accounts/inboxes_controller.rb:56-58); the document lists 204, 403 and 404 only',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account_id}/inboxes/{id}/set_agent_bot',
    field: 'response.status',
    why: 'set_agent_bot ends with `head :ok`, a 200 with an empty body (app/controllers/api/v1/accounts/inboxes_controller.rb:68); the document gives 204',
  },
];
