import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { logSink } from '../support/log-sink.js';
import { eventually, type StreamEvent, startRuntime } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A channel callback endpoint that takes messages, or refuses them (HTTP 400) while told to. */
async function startChannelCallback() {
  let refusing = false;
  const accepted: string[] = [];
  const server = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk) => {
      body += chunk;
    });
    incoming.on('end', () => {
      if (refusing) {
        response.writeHead(400).end();
        return;
      }
      accepted.push((JSON.parse(body) as { message: { text: string } }).message.text);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    accepted,
    refuse(value: boolean) {
      refusing = value;
    },
  };
}

async function setup(...args: Parameters<typeof startRuntime>) {
  const started = await startRuntime(...args);
  cleanups.push(started.close);
  const system = started.runtime.support.memory;
  if (system === undefined) throw new Error('expected the in-process support system');
  return { ...started, system };
}

/** Alice, handed to Billing, with her event stream open. */
async function aliceWithBilling(started: Awaited<ReturnType<typeof setup>>) {
  const alice = started.user('web', 'alice');
  await alice.say('I want a refund');
  await alice.say('agent');
  const conversation = await eventually(() => {
    const [found] = started.system.listConversations({ teamId: '2', status: 'open' });
    if (found === undefined) throw new Error('not transferred yet');
    return found;
  });
  await started.runtime.engine.drain();
  const events = await alice.events(0);
  cleanups.push(events.close);
  return { alice, conversation, events };
}

const notices = (events: StreamEvent[], code: string) =>
  events.filter((event) => event.data.notice === code).map((event) => event.data.text);

interface ParkedListing {
  items: Array<{ id: string; kind: string; reason: string }>;
}

describe('runtime: accepted but undeliverable', () => {
  it('tells the user once when the support system refuses their message for good, and once more when an operator retry gets it through', async () => {
    const logs = logSink();
    const started = await setup({ logging: { level: 'warn' } }, { logStream: logs.stream });
    const { call, system } = started;
    const { alice, conversation, events } = await aliceWithBilling(started);

    system.injectFault({ kind: 'http_status', status: 422 });
    expect((await alice.say('It is order 1043')).status).toBe(200);
    await events.next((event) => event.data.notice === 'deliveryFailed');
    expect(notices(events.events, 'deliveryFailed')).toEqual([
      'Sorry, your message "It is order 1043" could not reach Billing. Please send it again.',
    ]);

    // The operator: the parked item, a counter, and a warning with kind and reason but no text.
    const parked = (await call('GET', '/v1/admin/parked')).json as unknown as ParkedListing;
    expect(parked.items).toMatchObject([
      { kind: 'support.post', reason: expect.stringContaining('invalid_request') },
    ]);
    const item = parked.items[0] as ParkedListing['items'][number];
    expect((await call('GET', '/metrics')).text).toContain(
      'handoff_deliveries_parked_total{kind="support.post"} 1',
    );
    const warning = logs.lines.find((line) => line.msg === 'delivery.parked');
    expect(warning).toMatchObject({ level: 40, kind: 'support.post', id: item.id, reason: item.reason });
    expect(JSON.stringify(logs.lines)).not.toContain('1043');

    const retried = await call('POST', `/v1/admin/parked/${encodeURIComponent(item.id)}/retry`);
    expect(retried.status).toBe(200);
    await events.next((event) => event.data.notice === 'deliveryRecovered');
    await started.runtime.engine.drain();
    const posted = system
      .listConversations({ teamId: '2' })
      .find((found) => found.id === conversation.id)
      ?.messages.filter((message) => message.text === 'It is order 1043');
    expect(posted).toHaveLength(1);
    expect(notices(events.events, 'deliveryFailed')).toHaveLength(1);
    expect(notices(events.events, 'deliveryRecovered')).toEqual([
      'Your message "It is order 1043" reached Billing after all.',
    ]);
    expect(((await call('GET', '/v1/admin/parked')).json as unknown as ParkedListing).items).toEqual([]);
  });

  it('leaves the agent one private note when the user channel refuses their reply for good, and one more when a retry gets it through', async () => {
    const callback = await startChannelCallback();
    const started = await setup({
      channels: { web: { callbackUrl: callback.url, callbackSecret: 'callback-secret-0123456789' } },
    });
    const { call, system } = started;
    const { conversation } = await aliceWithBilling(started);
    const notes = () =>
      (
        system.listConversations({ teamId: '2' }).find((found) => found.id === conversation.id)?.messages ??
        []
      )
        .filter((message) => message.author === 'note' && message.text.includes('Your refund is on its way'))
        .map((message) => message.text);

    callback.refuse(true);
    system.reply(conversation.id, { text: 'Your refund is on its way' });
    await eventually(() => expect(notes()).toHaveLength(1));
    expect(notes()).toEqual([
      'This message did not reach the user: "Your refund is on its way". Their channel refused it for good, so they may not have seen it; an operator can retry it.',
    ]);
    const parked = (await call('GET', '/v1/admin/parked')).json as unknown as ParkedListing;
    expect(parked.items).toMatchObject([
      { kind: 'channel.deliver', reason: expect.stringContaining('HTTP 400') },
    ]);
    const item = parked.items[0] as ParkedListing['items'][number];

    callback.refuse(false);
    expect((await call('POST', `/v1/admin/parked/${encodeURIComponent(item.id)}/retry`)).status).toBe(200);
    await eventually(() => expect(notes()).toHaveLength(2));
    await started.runtime.engine.drain();
    expect(callback.accepted.filter((text) => text === 'Your refund is on its way')).toHaveLength(1);
    expect(notes()).toEqual([
      'This message did not reach the user: "Your refund is on its way". Their channel refused it for good, so they may not have seen it; an operator can retry it.',
      'This message reached the user after all: "Your refund is on its way".',
    ]);
    expect(((await call('GET', '/v1/admin/parked')).json as unknown as ParkedListing).items).toEqual([]);
  });
});
