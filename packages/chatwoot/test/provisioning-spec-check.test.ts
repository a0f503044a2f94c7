// The provisioner's own requests, checked against Chatwoot's official documents (answers: spec-check/).

import {
  compileOpenApiDocument,
  createOpenApiRequestValidator,
  unexplainedProblems,
} from '@handoff/conformance';
import { describe, expect, it } from 'vitest';
import { createChatwootProvisioner } from '../src/provisioning/chatwoot-provisioner.js';
import { type RecordedRequest, startFakeChatwoot } from '../src/testing/index.js';
import { loadOpenApiDocument } from './spec-check/openapi-document.js';
import { chatwootSpecExceptions, platformSpecExceptions } from './spec-check/spec-exceptions.js';

const platformDocument = loadOpenApiDocument(process.env, 'platform');
const applicationDocument = loadOpenApiDocument(process.env, 'application');

/** Every call the provisioner makes: a full run with an agent bot, a re-run, inbox delivery, deprovisioning. */
async function provisionerRequests(): Promise<RecordedRequest[]> {
  const fake = await startFakeChatwoot();
  try {
    const provisioner = createChatwootProvisioner({
      baseUrl: fake.baseUrl,
      platformToken: fake.tokens.platform,
    });
    const chatbot = {
      id: 'orders',
      webhookUrl: 'https://runtime.example.test/v1/bots/orders/support/webhook',
    };
    const options = {
      organizationId: 'org_globex',
      name: 'Globex',
      owners: [
        { email: 'owner@globex.test', name: 'Olga', emailVerified: true },
        { email: 'other@globex.test', name: 'Otto', emailVerified: false },
      ],
      chatbot,
      agentBot: {
        name: 'Globex bot',
        outgoingUrl: 'https://runtime.example.test/v1/agent-bot/globex/webhook',
      },
    };
    const first = await provisioner.provisionOrganization(options);
    await provisioner.provisionOrganization({ ...options, accountId: first.settings.accountId });
    await provisioner.provisionOrganization({
      ...options,
      chatbot: { ...chatbot, webhookDelivery: 'inbox' },
    });
    await provisioner.provisionOrganization(options);
    await provisioner.deprovisionOrganization({ organizationId: 'org_globex', chatbots: [chatbot] });
    return [...fake.requests];
  } finally {
    await fake.close();
  }
}

describe.skipIf('missing' in platformDocument || 'missing' in applicationDocument)(
  "the provisioner's requests against Chatwoot's official Platform and Application documents",
  () => {
    it('every request matches the documents, but for the documented exceptions', async () => {
      if (!('document' in platformDocument) || !('document' in applicationDocument)) return;
      const platform = compileOpenApiDocument(platformDocument.document);
      const application = compileOpenApiDocument(applicationDocument.document);
      const credentialSchemes = { bot: 'agentBotApiKey', platform: 'platformAppApiKey' };
      const validators = {
        platform: createOpenApiRequestValidator(platform, { credentialSchemes }),
        application: createOpenApiRequestValidator(application, { credentialSchemes }),
      };
      const requests = await provisionerRequests();
      const of = (recorded: RecordedRequest) =>
        recorded.path.startsWith('/platform/') ? validators.platform : validators.application;
      expect(requests.some((recorded) => recorded.method === 'DELETE')).toBe(true);
      const requestProblems = requests.flatMap((recorded) => of(recorded).check(recorded));
      expect(
        unexplainedProblems(requestProblems, [...platformSpecExceptions, ...chatwootSpecExceptions]),
      ).toEqual([]);
    }, 60_000);
  },
);
