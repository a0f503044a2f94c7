import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';

/**
 * The error bodies Chatwoot renders: `app/controllers/concerns/request_exception_handler.rb`,
 * `access_token_auth_helper.rb`, `ensure_current_account_helper.rb`, devise_token_auth's sign-in
 * refusal, rack-attack's throttle and Rails' public exceptions.
 */
export const chatwootErrors = {
  signInRequired: () => jsonResponse(401, { errors: ['You need to sign in or sign up before continuing.'] }),
  invalidAccessToken: () => jsonResponse(401, { error: 'Invalid Access Token' }),
  notForBots: () => jsonResponse(401, { error: 'Access to this endpoint is not authorized for bots' }),
  /** `ensure_current_account_helper.rb`, checked before membership. */
  accountSuspended: () => jsonResponse(401, { error: 'Account is suspended' }),
  /** `ensure_current_account_helper.rb` `account_accessible_for_user?`. */
  notAccountMember: () => jsonResponse(401, { error: 'You are not authorized to access this account' }),
  /** `ensure_current_account_helper.rb` `account_accessible_for_bot?`. */
  botNotInAccount: () => jsonResponse(401, { error: 'Bot is not authorized to access this account' }),
  /** `PlatformController#set_platform_app`: no token, or not a platform app's. */
  invalidPlatformToken: () => jsonResponse(401, { error: 'Invalid access_token' }),
  /** `PlatformController#validate_platform_app_permissible`: a record the app did not create. */
  nonPermissible: () => jsonResponse(401, { error: 'Non permissible resource' }),
  notAuthorized: () => jsonResponse(401, { error: 'You are not authorized to do this action' }),
  /** `ActiveRecord::RecordNotFound` (`request_exception_handler.rb`). */
  notFound: () => jsonResponse(404, { error: 'Resource could not be found' }),
  /**
   * A record the Platform API does not find: `PlatformController` (an `ActionController::API`)
   * rescues only `RecordInvalid`, so `RecordNotFound` reaches Rails' public exceptions app.
   */
  platformNotFound: () => jsonResponse(404, { status: 404, error: 'Not Found' }),
  /** No route matched: Rails' public exceptions app, JSON for an `Accept: application/json` client. */
  noRoute: () => jsonResponse(404, { status: 404, error: 'Not Found' }),
  /** A failed model validation (`ActiveRecord::RecordInvalid`). */
  invalidRecord: (problems: ReadonlyArray<{ attribute: string; message: string }>) =>
    jsonResponse(422, {
      message: problems.map((problem) => problem.message).join(', '),
      attributes: [...new Set(problems.map((problem) => problem.attribute))],
    }),
  /** An error a controller renders itself. */
  unprocessable: (text: string) => jsonResponse(422, { error: text }),
  badRequest: () => jsonResponse(400, { status: 400, error: 'Bad Request' }),
  /** An unhandled exception: Rails' public exceptions app renders `{status, error}` for JSON requests. */
  serverError: () => jsonResponse(500, { status: 500, error: 'Internal Server Error' }),
  /** rack-attack's default throttled answer: no Retry-After, no RateLimit headers (`config/initializers/rack_attack.rb`, rack-attack 6.7). */
  throttled: (): FakeHttpResponse => ({
    status: 429,
    headers: { 'content-type': 'text/plain' },
    body: 'Retry later\n',
  }),
};
