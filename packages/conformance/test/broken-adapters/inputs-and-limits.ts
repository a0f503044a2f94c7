import type { SupportAdapter, TranscriptMessage } from '@handoff/core';
import { type BrokenAdapter, changeOperations, declaring, lookupBlind, reference } from './broken-adapter.js';

type Ensure = SupportAdapter['ensureUser'];
type Post = SupportAdapter['postMessages'];

/** The reference, with ensureUser answered from a cache keyed by `keyOf` before it looks anything up. */
function cachingUsersBy(adapter: SupportAdapter, keyOf: (id: string) => string): SupportAdapter {
  const cache = new Map<string, string>();
  const ensure: Ensure = async (options) => {
    const cached = cache.get(keyOf(options.user.id));
    if (cached !== undefined) return { supportUserId: cached, created: false };
    const result = await adapter.ensureUser(options);
    cache.set(keyOf(options.user.id), result.supportUserId);
    return result;
  };
  return changeOperations(adapter, { ensureUser: () => ensure as never });
}

/** Posts each batch after `change` (what the adapter really sends), answering for the whole batch. */
function postingChanged(
  adapter: SupportAdapter,
  change: (messages: readonly TranscriptMessage[]) => TranscriptMessage[],
): SupportAdapter {
  const post: Post = async (options) => {
    const { posted } = await adapter.postMessages({ ...options, messages: change(options.messages) });
    const ids = new Map(posted.map((entry) => [entry.id, entry.supportMessageId]));
    return {
      posted: options.messages.map((item) => ({
        id: item.id,
        supportMessageId: ids.get(item.id) ?? `lost-${item.id}`,
      })),
    };
  };
  return changeOperations(adapter, { postMessages: () => post as never });
}

/** Bugs that show only for some inputs, on the nth call, or at a declared limit. */
export const inputBugs: Record<string, BrokenAdapter> = {
  'compares user ids without case (Ada and ada are one user)': {
    kind: 'inputs and nth call',
    create: (harness, context) => cachingUsersBy(reference(harness, context), (id) => id.toLowerCase()),
    fails: ['several/user-ids'],
  },
  'matches user ids by prefix (user-1 answers for user-10)': {
    kind: 'inputs and nth call',
    create: (harness, context) => {
      const adapter = reference(harness, context);
      const known: Array<[string, string]> = [];
      const ensure: Ensure = async (options) => {
        const hit = known.find(([id]) => options.user.id.startsWith(id));
        if (hit !== undefined) return { supportUserId: hit[1], created: false };
        const result = await adapter.ensureUser(options);
        known.push([options.user.id, result.supportUserId]);
        return result;
      };
      return changeOperations(adapter, { ensureUser: () => ensure as never });
    },
    fails: ['several/user-ids'],
  },
  'creates the user again on the third ensureUser': {
    kind: 'inputs and nth call',
    create: (harness, context) => {
      const adapter = reference(harness, context);
      const calls = new Map<string, number>();
      const ensure: Ensure = async (options) => {
        const count = (calls.get(options.user.id) ?? 0) + 1;
        calls.set(options.user.id, count);
        if (count !== 3) return adapter.ensureUser(options);
        // A cache miss that skips the look-up.
        return reference(harness, context, { system: lookupBlind(harness.system) }).ensureUser(options);
      };
      return changeOperations(adapter, { ensureUser: () => ensure as never });
    },
    fails: ['several/ensure-user-repeated'],
  },
  'finds users by name (two users called the same are merged)': {
    kind: 'inputs and nth call',
    create: (harness, context) => {
      const adapter = reference(harness, context);
      const byName = new Map<string, string>();
      const ensure: Ensure = async (options) => {
        const name = options.user.name;
        const hit = name === undefined ? undefined : byName.get(name);
        if (hit !== undefined) return { supportUserId: hit, created: false };
        const result = await adapter.ensureUser(options);
        if (name !== undefined) byName.set(name, result.supportUserId);
        return result;
      };
      return changeOperations(adapter, { ensureUser: () => ensure as never });
    },
    fails: ['several/user-ids', 'several/ensure-user-repeated'],
  },
};

export const limitBugs: Record<string, BrokenAdapter> = {
  'drops the last message of a batch exactly at maxMessagesPerPost': {
    kind: 'limits',
    create: (harness, context) => {
      const adapter = reference(harness, context);
      const max = adapter.capabilities.maxMessagesPerPost;
      return postingChanged(adapter, (messages) =>
        messages.length === max ? messages.slice(0, -1) : [...messages],
      );
    },
    fails: ['limits/messages-per-post'],
  },
  'cuts a batch longer than its declared maxMessagesPerPost': {
    kind: 'limits',
    create: (harness, context) =>
      postingChanged(declaring(reference(harness, context), { maxMessagesPerPost: 10 }), (messages) =>
        messages.slice(0, 10),
      ),
    fails: ['limits/messages-per-post'],
  },
  'counts text length in bytes and cuts what it thinks is too long': {
    kind: 'limits',
    create: (harness, context) =>
      postingChanged(reference(harness, context), (messages) =>
        messages.map((item) => ({
          ...item,
          text: new TextDecoder()
            .decode(new TextEncoder().encode(item.text).slice(0, 150_000))
            .replace(/\uFFFD$/, ''),
        })),
      ),
    fails: ['limits/text-length'],
  },
  'declares 2,000 code points but cuts at 2,000 UTF-16 units': {
    kind: 'limits',
    create: (harness, context) =>
      postingChanged(
        declaring(reference(harness, context), { textLength: { max: 2_000, unit: 'code_points' } }),
        (messages) => messages.map((item) => ({ ...item, text: item.text.slice(0, 2_000) })),
      ),
    fails: ['limits/text-length'],
  },
  'drops files past its declared maxPerMessage': {
    kind: 'limits',
    create: (harness, context) =>
      postingChanged(
        declaring(reference(harness, context), {
          attachments: { maxBytes: 25 * 1024 * 1024, maxPerMessage: 5 },
        }),
        (messages) =>
          messages.map((item) =>
            item.attachments === undefined ? item : { ...item, attachments: item.attachments.slice(0, 5) },
          ),
      ),
    fails: ['limits/attachments-per-message'],
  },
  'drops a file over its declared maxBytes and keeps the text': {
    kind: 'limits',
    create: (harness, context) =>
      postingChanged(
        declaring(reference(harness, context), { attachments: { maxBytes: 1_000, maxPerMessage: 15 } }),
        (messages) =>
          messages.map((item) =>
            item.attachments === undefined
              ? item
              : { ...item, attachments: item.attachments.filter((file) => (file.size ?? 0) <= 1_000) },
          ),
      ),
    fails: ['limits/attachment-size'],
  },
};
