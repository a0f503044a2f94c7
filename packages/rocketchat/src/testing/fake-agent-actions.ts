// What a human agent does in Rocket.Chat's Omnichannel UI, for the harnesses: take a room from
// the queue, reply (taking it first when nobody serves it), close it.
import type { Attachment } from '@handoff/core';
import { rocketChatId } from './fake-ids.js';
import { closeRoom, forwardToAgent, roomById, saveMessage, takeRoom } from './fake-omnichannel.js';
import type { FakeRoom, FakeUser } from './fake-records.js';
import type { FakeRocketChat } from './fake-rocketchat-server.js';

export function liveRoom(fake: FakeRocketChat, roomId: string): FakeRoom {
  const room = roomById(fake.context, roomId);
  if (room === undefined) throw new Error(`the fake Rocket.Chat has no room ${roomId}`);
  return room;
}

/** The first human agent (Ana), who takes rooms in the harnesses. */
export function firstAgent(fake: FakeRocketChat): FakeUser {
  const agent = fake.state.users.find(
    (user) => user.roles.includes('livechat-agent') && !user.roles.includes('bot'),
  );
  if (agent === undefined) throw new Error('the fake Rocket.Chat has no human agent');
  return agent;
}

/**
 * The human agent serving the room: when nobody does, Ana takes it from the queue; when the bot
 * agent does, it is forwarded to her (a room the bot serves is in no queue).
 */
export function humanServing(fake: FakeRocketChat, room: FakeRoom): FakeUser {
  const serving = fake.state.users.find((user) => user._id === room.servedBy?._id);
  if (serving !== undefined && !serving.roles.includes('bot')) return serving;
  const agent = firstAgent(fake);
  if (serving === undefined) takeRoom(fake.context, room, agent);
  else forwardToAgent(fake.context, room, agent, agent);
  return agent;
}

/** The agent writes in the room (files as Rocket.Chat's uploads attach them). */
export function agentWrites(
  fake: FakeRocketChat,
  room: FakeRoom,
  agent: FakeUser,
  text: string,
  attachments: readonly Attachment[] = [],
): void {
  if (!room.open)
    throw new Error(`the fake Rocket.Chat room ${room._id} is closed: an agent cannot write in it`);
  saveMessage(fake.context, room, {
    _id: rocketChatId(),
    rid: room._id,
    msg: text,
    ts: fake.state.now(),
    u: { _id: agent._id, username: agent.username, name: agent.name },
    ...(attachments.length === 0
      ? {}
      : {
          attachments: attachments.map((file) => ({
            title: file.name ?? 'file',
            title_link: file.url,
            type: 'file' as const,
            ...(file.contentType === undefined ? {} : { image_type: file.contentType }),
          })),
        }),
  });
}

/** The agent closes the room from the room's info panel, with a comment (the workspace asks for one). */
export function agentCloses(fake: FakeRocketChat, room: FakeRoom): void {
  if (!room.open) return;
  // The workspace asks for a closing comment (its default): the agent gives one.
  closeRoom(fake.context, room, { user: humanServing(fake, room) }, 'Solved.');
}
