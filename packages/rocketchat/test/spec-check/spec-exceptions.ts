import type { SpecException } from '@handoff/conformance';

/**
 * Where Rocket.Chat's official documents (Rocket.Chat-Open-API c9aec5a) and the way the adapter
 * must call Rocket.Chat differ, one line each, with the proof in Rocket.Chat's source.
 */
export const rocketChatSpecExceptions: readonly SpecException[] = [
  {
    method: 'POST',
    path: '/api/v1/livechat/room.forward',
    field: 'body.comment',
    why: "omnichannel.yaml (paths./api/v1/livechat/room.forward.post.requestBody) lists roomId, userId and departmentId only, but the route's body validator takes a `comment` (packages/rest-typings/src/v1/omnichannel.ts@0b95bab03cee4e3c9a9801fb2a656d5d7e828255, LiveChatRoomForwardSchema: `comment: {type: 'string', nullable: true}` beside `additionalProperties: false`), and the route hands the whole body to Livechat.transfer as the transfer data (apps/meteor/app/livechat/server/api/v1/room.ts@001b0e8ba25615cd6625c095191bc2a8e3af9e38, `livechat/room.forward`: `Livechat.transfer(room, guest, transferData)`, `transferData = this.bodyParams`); the adapter's transfer note and the bot agent's handoff note are this comment",
  },
  {
    method: 'POST',
    path: '/api/v1/chat.sendMessage',
    field: 'body.message._id',
    why: "messaging.yaml (paths./api/v1/chat.sendMessage.post.requestBody, `message`) does not list `_id`, but the route's body validator does (packages/rest-typings/src/v1/chat.ts@a613cd33ad91ccb05aeccebb0be31ca991b538db, chatSendMessageSchema: `message._id: {type: 'string', nullable: true}`, the rest `additionalProperties: false`) and Rocket.Chat keeps the `_id` a client gives; the adapter sends an `_id` derived from its own message id so that a retried post is recognised (the same field omnichannel.yaml does document for `livechat/message`: \"If you want to override the message ID in the database with your own, enter a random unique string\")",
  },
];

/** Where the documents describe Rocket.Chat's answers wrongly or not at all, with the proof. */
export const rocketChatResponseExceptions: readonly SpecException[] = [
  {
    method: 'GET',
    path: '/api/v1/livechat/visitor/{token}',
    field: 'response.status',
    why: "omnichannel.yaml (paths./api/v1/livechat/visitor/{token}.get.responses) documents only the 200, but an unknown token is answered 400: the route throws `new Meteor.Error('invalid-token')` when no visitor has the token (apps/meteor/app/livechat/server/api/v1/visitor.ts@02b16ec4c9f4cb9aa18f62d9da0a98493a514c6b, `livechat/visitor/:token` get) and the REST layer answers a thrown error with `API.v1.failure(e.message, e.error)`, 400 `{success: false, error: '[invalid-token]', errorType: 'invalid-token'}` (apps/meteor/app/api/server/ApiClass.ts@019378e3291e412b233a6389a26071f1bec34817, the route wrapper's catch and `failure`); the adapter's ensureUser reads it as \"no such visitor yet\" and creates one",
  },
];
