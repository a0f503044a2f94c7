import { jsonResponse, refuse } from '@handoff/fake-server';
import { type FakeSunshineRoute, sunshinePrefix } from './fake-context.js';
import { conversationOrRefuse } from './fake-conversation-routes.js';
import { sunshineErrors } from './fake-errors.js';
import {
  acceptControl,
  offerControl,
  passControl,
  readMetadata,
  releaseControl,
  resolveSwitchboardIntegration,
} from './fake-switchboard.js';
import { switchboardIntegrationView } from './fake-views.js';

const emptyAnswer = () => jsonResponse(200, {});
const bodyOf = (body: unknown) => (body ?? {}) as Record<string, unknown>;

/** ListSwitchboards, ListSwitchboardIntegrations and the Switchboard Actions (spec tags). */
export const switchboardRoutes: FakeSunshineRoute[] = [
  {
    method: 'GET',
    pattern: `${sunshinePrefix}/switchboards`,
    handle({ context }) {
      const { state } = context;
      return jsonResponse(200, {
        switchboards: [
          {
            id: state.switchboardId,
            enabled: true,
            defaultSwitchboardIntegrationId: state.defaultSwitchboardIntegrationId,
          },
        ],
      });
    },
  },
  {
    method: 'GET',
    pattern: `${sunshinePrefix}/switchboards/:switchboardId/switchboardIntegrations`,
    handle({ context, path }) {
      if (path.switchboardId !== context.state.switchboardId)
        return refuse(sunshineErrors.notFound('switchboard_not_found', 'Switchboard not found'));
      return jsonResponse(200, {
        switchboardIntegrations: context.state.switchboardIntegrations.map(switchboardIntegrationView),
      });
    },
  },
  {
    method: 'POST',
    pattern: `${sunshinePrefix}/conversations/:conversationId/passControl`,
    handle({ context, path, body }) {
      const conversation = conversationOrRefuse(context, path.conversationId);
      const input = bodyOf(body);
      const target = resolveSwitchboardIntegration(context.state, conversation, input.switchboardIntegration);
      passControl(context, conversation, target, readMetadata(input.metadata));
      return emptyAnswer();
    },
  },
  {
    method: 'POST',
    pattern: `${sunshinePrefix}/conversations/:conversationId/releaseControl`,
    handle({ context, path, body }) {
      const conversation = conversationOrRefuse(context, path.conversationId);
      releaseControl(context, conversation, readMetadata(bodyOf(body).metadata));
      return emptyAnswer();
    },
  },
  {
    method: 'POST',
    pattern: `${sunshinePrefix}/conversations/:conversationId/offerControl`,
    handle({ context, path, body }) {
      const conversation = conversationOrRefuse(context, path.conversationId);
      const input = bodyOf(body);
      const target = resolveSwitchboardIntegration(context.state, conversation, input.switchboardIntegration);
      offerControl(context, conversation, target, readMetadata(input.metadata));
      return emptyAnswer();
    },
  },
  {
    method: 'POST',
    pattern: `${sunshinePrefix}/conversations/:conversationId/acceptControl`,
    handle({ context, path, body }) {
      const conversation = conversationOrRefuse(context, path.conversationId);
      acceptControl(context, conversation, readMetadata(bodyOf(body).metadata));
      return emptyAnswer();
    },
  },
];
