// Support-system calls per scenario, counted at the fake Chatwoot: Handoff against the floor for
// Chatwoot (derived in the README) and against mirroring every message with a contact search per
// session. Counts are exact and the same on every machine.
import { request } from 'undici';
import { printTable, report } from './lib/bench-kit.mjs';
import { startChatwootStack } from './lib/chatwoot-stack.mjs';

/** Ten bot turns (twenty messages) that leave the refund skill unfinished at the end. */
const tenTurns = [
  'hello',
  'I want a refund',
  'never mind',
  'where is my parcel',
  'order 5521',
  'thanks',
  'what can you do',
  'hello again',
  'reset my password',
  'I want a refund',
];

/**
 * The fewest Chatwoot calls a handoff of `messages` transcript messages can take while keeping
 * Handoff's guarantees (see the README): the contact when new, the team's availability, the
 * inbox's working hours when not cached, the conversation created with its first message, every
 * other message, the context note, the team, labels read and written, and the bot handoff.
 */
function handoffFloor({ newUser, inboxRead, messages }) {
  return (newUser ? 1 : 0) + 1 + (inboxRead ? 1 : 0) + 1 + (messages - 1) + 1 + 1 + 2 + 1;
}

/**
 * The common pattern: every message mirrored as it happens, the contact searched at each session
 * start. Played against the same fake, so its calls are counted the same way.
 */
async function naiveMirror(fake, { userId, messages, handoff, human = 0 }) {
  const api = async (method, path, body) => {
    const response = await request(`${fake.baseUrl}/api/v1/accounts/${fake.accountId}${path}`, {
      method,
      headers: { 'content-type': 'application/json', api_access_token: fake.tokens.admin },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.body.json();
    if (response.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${response.statusCode}`);
    return answer;
  };
  const before = fake.requests.length;
  const found = await api('POST', '/contacts/filter', {
    payload: [
      { attribute_key: 'identifier', filter_operator: 'equal_to', values: [userId], query_operator: null },
    ],
  });
  const contactId =
    found.payload[0]?.id ??
    (await api('POST', '/contacts', { inbox_id: fake.inboxId, identifier: userId, name: userId })).payload
      .contact.id;
  const conversation = await api('POST', '/conversations', {
    inbox_id: fake.inboxId,
    contact_id: contactId,
    status: 'pending',
  });
  for (let index = 0; index < messages + human; index += 1) {
    await api('POST', `/conversations/${conversation.id}/messages`, {
      content: `message ${index}`,
      message_type: index % 2 === 0 ? 'incoming' : 'outgoing',
    });
  }
  if (handoff) {
    await api('POST', `/conversations/${conversation.id}/assignments`, { team_id: 2 });
    await api('POST', `/conversations/${conversation.id}/messages`, {
      content: 'Routing note',
      private: true,
    });
    await api('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'open' });
  }
  return fake.requests.length - before;
}

const stack = await startChatwootStack({ storage: 'memory' });
const rows = [];
let transcript = 0;
/** Plays turns and counts the transcript they make: each user message and each bot reply. */
const playTurns = async (userId, texts) => {
  let count = 0;
  for (const text of texts) {
    const turn = await stack.say(userId, text);
    count += 1 + turn.replies.filter((reply) => reply.kind === 'bot').length;
  }
  return count;
};
try {
  const count = async (play) => {
    await stack.settle();
    const before = stack.fake.requests.length;
    await play();
    await stack.settle();
    return stack.fake.requests.slice(before);
  };

  // 1. A session with the bot only.
  const noHandoff = await count(async () => {
    transcript = await playTurns('bot-only', tenTurns);
  });
  rows.push({
    scenario: '10 bot turns, no handoff',
    handoff: noHandoff.length,
    transcript,
    floor: 0,
    naive: await naiveMirror(stack.fake, { userId: 'naive-bot-only', messages: transcript, handoff: false }),
  });

  // 2. Ten turns, then a handoff, for a user Chatwoot has never seen (first handoff of the process).
  const firstHandoff = await count(async () => {
    transcript = await playTurns('alice', [...tenTurns, 'agent']);
  });
  rows.push({
    scenario: '10 bot turns + handoff, new user',
    handoff: firstHandoff.length,
    transcript,
    floor: handoffFloor({ newUser: true, inboxRead: true, messages: transcript }),
    naive: await naiveMirror(stack.fake, { userId: 'naive-alice', messages: transcript, handoff: true }),
  });

  // 3. The agent resolves; the same user talks to the bot again and asks for a person again.
  const conversationId = (await stack.session('alice')).conversationId;
  await stack.asAgent(`/conversations/${conversationId}/toggle_status`, { status: 'resolved' });
  await stack.settle();
  const returning = await count(async () => {
    transcript = await playTurns('alice', [...tenTurns, 'agent']);
  });
  rows.push({
    scenario: '10 bot turns + handoff, returning user',
    handoff: returning.length,
    transcript,
    floor: handoffFloor({ newUser: false, inboxRead: false, messages: transcript }),
    naive: await naiveMirror(stack.fake, { userId: 'naive-alice', messages: transcript, handoff: true }),
  });

  // 4. Twenty user messages while the agent holds the session.
  const human = await count(async () => {
    for (let index = 0; index < 20; index += 1) await stack.say('alice', `detail ${index}`);
  });
  rows.push({
    scenario: '20 messages in human mode',
    handoff: human.length,
    transcript: 20,
    floor: 20,
    naive: 20,
  });
} finally {
  await stack.close();
}

printTable(
  ['scenario', 'messages', 'Handoff', 'floor', 'mirror + search'],
  rows.map((row) => [row.scenario, row.transcript, row.handoff, row.floor, row.naive]),
);
const targets = [
  {
    name: '0 support calls for a session without handoff',
    met: rows[0].handoff === 0,
    figure: rows[0].handoff,
  },
  {
    name: 'returning-user handoff at the Chatwoot floor',
    met: rows[2].handoff === rows[2].floor,
    figure: `${rows[2].handoff} calls, floor ${rows[2].floor}`,
  },
];
for (const target of targets)
  console.log(`target ${target.met ? 'met    ' : 'NOT met'} ${target.name}: ${target.figure}`);
console.log('(exact counts: the same on every machine)');
report('support-calls', { kind: 'exact counts', scenarios: rows, targets });
