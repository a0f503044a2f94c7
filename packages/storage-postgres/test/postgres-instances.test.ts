import { createServer, type Server } from 'node:net';
import { type HandoffStores, type LiveEvent, StorageUnavailableError } from '@handoff/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresPool, redactPostgresUrl } from '../src/postgres-connection.js';
import { createPostgresDatabase } from '../src/postgres-database.js';
import { migrate, tableNames } from '../src/postgres-schema.js';
import { createPostgresStores, type PostgresStoresSettings } from '../src/postgres-stores.js';
import { freePort } from '../src/testing/free-port.js';
import { type PostgresServer, startPostgresServer } from '../src/testing/postgres-server.js';
import { describeWithPostgres } from './with-postgres.js';

let server: PostgresServer;
const opened: HandoffStores[] = [];
let prefixes = 0;

async function instance(settings: Partial<PostgresStoresSettings> & { tablePrefix: string }) {
  const stores = await createPostgresStores({ url: server.url, ...settings });
  opened.push(stores);
  return stores;
}

async function admin<Result>(work: (client: pg.Client) => Promise<Result>): Promise<Result> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const session = (key: string) => ({
  key,
  channelId: 'web',
  userId: key,
  sessionId: 's',
  mode: 'bot' as const,
  transcript: [],
  droppedMessages: 0,
  unfinishedSkills: [],
  recentMessageIds: [],
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
});

const messageEvent = (id: string, text: string): LiveEvent => ({
  type: 'message',
  entry: { sequence: 1, message: { id, text } as never },
});

describeWithPostgres('PostgreSQL stores beyond the kit', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    for (const stores of opened) await stores.close();
    await server?.stop();
  });

  describe('migrations', () => {
    it('runs each migration once when several instances open a new deployment at once', async () => {
      const tablePrefix = `concurrent_${++prefixes}`;
      const instances = await Promise.all(Array.from({ length: 4 }, () => instance({ tablePrefix })));
      expect(instances).toHaveLength(4);
      const versions = await admin(
        async (client) =>
          (await client.query(`SELECT version FROM "public"."${tablePrefix}_migrations" ORDER BY version`))
            .rows,
      );
      expect(versions).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      // What one instance writes, another reads: they share the tables the migrations made.
      await instances[0]?.botState.put('k', 'v');
      expect(await instances[3]?.botState.get('k')).toBe('v');
    });

    it('runs nothing when the tables are up to date, twice at once included', async () => {
      const tables = tableNames('public', `again_${++prefixes}`);
      const pool = createPostgresPool({
        url: server.url,
        connectTimeoutMs: 2_000,
        statementTimeoutMs: 5_000,
        maxConnections: 4,
        applicationName: 'migration-test',
      });
      try {
        const database = createPostgresDatabase(pool, server.url);
        const first = await Promise.all([migrate(database, tables), migrate(database, tables)]);
        expect([...first].sort()).toEqual([0, 3]);
        expect(await migrate(database, tables)).toBe(0);
      } finally {
        await pool.end();
      }
    });

    it('brings a deployment from before chatbots’ support records up to date, its default records as they were', async () => {
      const tablePrefix = `upgrade_${++prefixes}`;
      const change = {
        users: [{ id: 'u1', name: 'Alice' }],
        conversations: [{ id: 'c1' }],
        counters: { user: 1 },
      };
      const before = await instance({ tablePrefix });
      await before.supportRecords?.persistence.commit(change);
      await before.close();
      // What a deployment migrated by the previous release has: migrations 1 and 2 only.
      await admin(async (client) => {
        for (const name of [
          'chatbot_support_users',
          'chatbot_support_conversations',
          'chatbot_support_counters',
        ])
          await client.query(`DROP TABLE "public"."${tablePrefix}_${name}"`);
        await client.query(`DELETE FROM "public"."${tablePrefix}_migrations" WHERE version = 3`);
      });
      const after = await instance({ tablePrefix });
      expect(await after.supportRecords?.load()).toEqual(change);
      expect(await after.chatbotSupportRecords('shop').load()).toBeUndefined();
      await after.chatbotSupportRecords('shop').persistence.commit({ ...change, counters: { user: 5 } });
      expect(await after.chatbotSupportRecords('shop').load()).toEqual({ ...change, counters: { user: 5 } });
      expect(await after.supportRecords?.load()).toEqual(change);
      const versions = await admin(
        async (client) =>
          (await client.query(`SELECT version FROM "public"."${tablePrefix}_migrations" ORDER BY version`))
            .rows,
      );
      expect(versions).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    });

    it('keeps its tables in the schema it is given, apart from other prefixes', async () => {
      const own = await instance({ schema: 'tenant_a', tablePrefix: 'hand' });
      const other = await instance({ tablePrefix: `apart_${++prefixes}` });
      await own.idempotency.put('key', 'tenant a');
      expect(await other.idempotency.get('key')).toBeUndefined();
      const tablesInSchema = await admin(
        async (client) =>
          (await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'tenant_a'"))
            .rows[0],
      );
      expect(tablesInSchema.n).toBeGreaterThan(10);
    });

    it('warns that the server runs with fsync off (as the test server does)', async () => {
      const stores = await instance({ tablePrefix: `warned_${++prefixes}` });
      expect(stores.warnings).toEqual([expect.stringMatching(/fsync off/)]);
    });

    it('works with the longest schema and prefix it accepts (hashed channel names)', async () => {
      const schema = `s${'x'.repeat(62)}`;
      const tablePrefix = `p${'y'.repeat(29)}`;
      const [one, two] = [await instance({ schema, tablePrefix }), await instance({ schema, tablePrefix })];
      const events: LiveEvent[] = [];
      await two.hub.subscribe('web/alice', (event) => events.push(event));
      await one.hub.publish('web/alice', messageEvent('m1', 'hello'));
      await expect.poll(() => events.length, { timeout: 5_000 }).toBe(1);
      await one.storage.sessions.compareAndSet('k', undefined, session('k'), [
        { id: 'x', lane: 'l', kind: 't', payload: null },
      ]);
      expect((await two.storage.sessions.get('k'))?.version).toBe(1);
      await expect(
        createPostgresStores({ url: server.url, tablePrefix: `p${'y'.repeat(30)}` }),
      ).rejects.toThrow(/at most 30/);
    });

    it('refuses a schema or prefix that would need quoting', async () => {
      await expect(createPostgresStores({ url: server.url, tablePrefix: 'Bad-Prefix' })).rejects.toThrow(
        /table prefix "Bad-Prefix" must be lower case/,
      );
    });
  });

  describe('several instances on one database', () => {
    it('lets exactly one of many concurrent writers win a compare-and-set, with its deliveries only', async () => {
      const tablePrefix = `race_${++prefixes}`;
      const instances = await Promise.all(Array.from({ length: 5 }, () => instance({ tablePrefix })));
      const first = instances[0];
      if (first === undefined) throw new Error('no instance');
      await first.storage.sessions.compareAndSet('web:u', undefined, session('web:u'));
      const written = await Promise.all(
        instances.map((stores, index) =>
          stores.storage.sessions.compareAndSet(
            'web:u',
            1,
            { ...session('web:u'), sessionId: `writer-${index}` },
            [{ id: `from-${index}`, lane: 'web:u', kind: 'test', payload: index }],
          ),
        ),
      );
      expect(written.filter(Boolean)).toHaveLength(1);
      const winner = written.indexOf(true);
      expect((await first.storage.sessions.get('web:u'))?.session.sessionId).toBe(`writer-${winner}`);
      const claimed = await first.storage.outbox.claim({
        now: Date.now() + 1,
        limit: 10,
        leaseMs: 1_000,
        owner: 'w',
      });
      expect(claimed.map((item) => item.id)).toEqual([`from-${winner}`]);
    });

    it('delivers every lane in order with several workers on several instances claiming at once', async () => {
      const tablePrefix = `workers_${++prefixes}`;
      const instances = await Promise.all(Array.from({ length: 3 }, () => instance({ tablePrefix })));
      const [first] = instances;
      if (first === undefined) throw new Error('no instance');
      const lanes = 6;
      const perLane = 15;
      await first.storage.outbox.enqueue(
        Array.from({ length: lanes * perLane }, (_, index) => ({
          id: `i${index}`,
          lane: `lane-${index % lanes}`,
          kind: 't',
          payload: { lane: index % lanes, position: Math.floor(index / lanes) },
        })),
        { now: 0 },
      );
      const delivered = new Map<number, number[]>();
      const holding = new Set<string>();
      let overlaps = 0;
      const worker = async (stores: HandoffStores, name: string) => {
        for (let idle = 0; idle < 5; ) {
          const claimed = await stores.storage.outbox.claim({
            now: 1,
            limit: 4,
            leaseMs: 60_000,
            owner: name,
          });
          if (claimed.length === 0) {
            idle += 1;
            await new Promise((resolve) => setTimeout(resolve, 10));
            continue;
          }
          idle = 0;
          await Promise.all(
            claimed.map(async (item) => {
              const { lane, position } = item.payload as { lane: number; position: number };
              if (holding.has(item.lane)) overlaps += 1;
              holding.add(item.lane);
              delivered.set(lane, [...(delivered.get(lane) ?? []), position]);
              await new Promise((resolve) => setTimeout(resolve, 1));
              holding.delete(item.lane);
              await stores.storage.outbox.complete(item.id, name);
            }),
          );
        }
      };
      await Promise.all(
        instances.flatMap((stores, index) => [worker(stores, `w${index}a`), worker(stores, `w${index}b`)]),
      );
      expect(overlaps).toBe(0);
      for (let lane = 0; lane < lanes; lane += 1) {
        expect(delivered.get(lane)).toEqual(Array.from({ length: perLane }, (_, position) => position));
      }
      expect(await first.storage.outbox.counts({ now: 1 })).toEqual({
        pending: 0,
        scheduled: 0,
        inFlight: 0,
        parked: 0,
      });
    });

    it('loses no item of a lane that instances enqueue to while others deliver from it', async () => {
      const tablePrefix = `busy_${++prefixes}`;
      const instances = await Promise.all(Array.from({ length: 3 }, () => instance({ tablePrefix })));
      const producers = 4;
      const perProducer = 25;
      const delivered = new Map<number, number[]>();
      let producing = true;
      const produce = async (stores: HandoffStores, producer: number) => {
        for (let index = 0; index < perProducer; index += 1) {
          await stores.storage.outbox.enqueue([
            {
              id: `p${producer}-${index}`,
              lane: `lane-${producer % 2}`,
              kind: 't',
              payload: { producer, index },
            },
          ]);
        }
      };
      const deliver = async (stores: HandoffStores, name: string) => {
        for (let idle = 0; producing || idle < 10; ) {
          const claimed = await stores.storage.outbox.claim({
            now: Date.now() + 60_000,
            limit: 2,
            leaseMs: 600_000,
            owner: name,
          });
          idle = claimed.length === 0 ? idle + 1 : 0;
          for (const item of claimed) {
            const { producer, index } = item.payload as { producer: number; index: number };
            delivered.set(producer, [...(delivered.get(producer) ?? []), index]);
            await stores.storage.outbox.complete(item.id, name);
          }
          if (claimed.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      const delivering = instances.map((stores, index) => deliver(stores, `w${index}`));
      await Promise.all(
        Array.from({ length: producers }, (_, producer) =>
          produce(instances[producer % instances.length] as HandoffStores, producer),
        ),
      );
      producing = false;
      await Promise.all(delivering);
      for (let producer = 0; producer < producers; producer += 1) {
        expect(delivered.get(producer)).toEqual(Array.from({ length: perProducer }, (_, index) => index));
      }
      expect(await instances[0]?.storage.outbox.counts()).toMatchObject({ pending: 0, inFlight: 0 });
    });

    it('enqueues to a lane, and settles its head, only while holding the lane (so heads are never lost)', async () => {
      // A race between an enqueue and the completion of the lane's head is rare in a test run, so
      // this checks the lock that prevents it: both wait while someone else holds the lane.
      const tablePrefix = `lanelock_${++prefixes}`;
      const stores = await instance({ tablePrefix });
      await stores.storage.outbox.enqueue([{ id: 'head', lane: 'lane-a', kind: 't', payload: null }], {
        now: 0,
      });
      await stores.storage.outbox.claim({ now: 1, limit: 1, leaseMs: 60_000, owner: 'w' });
      const holder = new pg.Client({ connectionString: server.url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `public.${tablePrefix}.lane:4:main:lane-a`,
        ]);
        const settled: string[] = [];
        const enqueued = stores.storage.outbox
          .enqueue([{ id: 'next', lane: 'lane-a', kind: 't', payload: null }])
          .then(() => settled.push('enqueue'));
        const completed = stores.storage.outbox.complete('head', 'w').then(() => settled.push('complete'));
        await stores.storage.outbox.enqueue([{ id: 'other', lane: 'lane-b', kind: 't', payload: null }]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(settled).toEqual([]);
        await holder.query('COMMIT');
        await Promise.all([enqueued, completed]);
        expect([...settled].sort()).toEqual(['complete', 'enqueue']);
      } finally {
        await holder.end();
      }
      const claimed = await stores.storage.outbox.claim({
        now: Date.now() + 1,
        limit: 10,
        leaseMs: 1_000,
        owner: 'w',
      });
      expect(claimed.map((item) => item.id).sort()).toEqual(['next', 'other']);
    });

    it('shares each chatbot’s storage between instances, apart from the others’', async () => {
      const tablePrefix = `chatbots_${++prefixes}`;
      const [one, two] = [await instance({ tablePrefix }), await instance({ tablePrefix })];
      await one.chatbotStorage('shop').outbox.enqueue([{ id: 'x', lane: 'l', kind: 't', payload: 'shop' }]);
      await one.botHostStorage().outbox.enqueue([{ id: 'x', lane: 'l', kind: 't', payload: 'agent-bot' }]);
      const claim = (storage: HandoffStores['storage']) =>
        storage.outbox.claim({ now: Date.now() + 1, limit: 10, leaseMs: 1_000, owner: 'w' });
      expect((await claim(two.chatbotStorage('bank'))).map((item) => item.payload)).toEqual([]);
      expect((await claim(two.storage)).map((item) => item.payload)).toEqual([]);
      expect((await claim(two.chatbotStorage('shop'))).map((item) => item.payload)).toEqual(['shop']);
      expect((await claim(two.botHostStorage())).map((item) => item.payload)).toEqual(['agent-bot']);
    });

    it('runs the in-process support system on one instance at a time', async () => {
      const tablePrefix = `support_${++prefixes}`;
      const [one, two] = await Promise.all([instance({ tablePrefix }), instance({ tablePrefix })]);
      await one?.supportRecords?.claim();
      await expect(two?.supportRecords?.claim()).rejects.toThrow(
        /another instance .* runs the in-process support system/,
      );
      await one?.supportRecords?.release();
      await two?.supportRecords?.claim();
      await two?.supportRecords?.release();
    }, 20_000);
  });

  describe('live events larger than a notification', () => {
    it('sends events below the NOTIFY limit inline and larger ones through the table, intact and in order', async () => {
      const tablePrefix = `large_${++prefixes}`;
      const [publisher, listener] = [await instance({ tablePrefix }), await instance({ tablePrefix })];
      const events: LiveEvent[] = [];
      await listener.hub.subscribe('web/alice', (event) => events.push(event));
      // The payload is `"web/alice"\n` and the event: a text that makes it exactly `bytes` long.
      const payloadBytes = (id: string, text: string) =>
        Buffer.byteLength(`${JSON.stringify('web/alice')}\n${JSON.stringify(messageEvent(id, text))}`);
      const textFor = (id: string, bytes: number) => 'x'.repeat(bytes - payloadBytes(id, ''));
      const justBelow = textFor('below', 7_999);
      const atLimit = textFor('at-limit', 8_000);
      expect([payloadBytes('below', justBelow), payloadBytes('at-limit', atLimit)]).toEqual([7_999, 8_000]);
      const large = `${'ü👋'.repeat(20_000)}end`;
      const sent = [
        messageEvent('below', justBelow),
        messageEvent('at-limit', atLimit),
        messageEvent('small', 'hi'),
        messageEvent('large', large),
        { type: 'typing', typing: { channelId: 'web', userId: 'alice', typing: true } } as LiveEvent,
      ];
      for (const event of sent) await publisher.hub.publish('web/alice', event);
      await expect.poll(() => events.length, { timeout: 5_000 }).toBe(sent.length);
      expect(events).toEqual(sent);
      const kept = await admin(
        async (client) =>
          (await client.query(`SELECT count(*)::int AS n FROM "public"."${tablePrefix}_live_events"`))
            .rows[0],
      );
      // Only the event at the limit and the large one went through the table.
      expect(kept.n).toBe(2);
    });

    it('reads the table only for users with listeners on the instance', async () => {
      const tablePrefix = `unread_${++prefixes}`;
      const publisher = await instance({ tablePrefix });
      const listener = await instance({ tablePrefix });
      const events: LiveEvent[] = [];
      await listener.hub.subscribe('web/bob', (event) => events.push(event));
      await publisher.hub.publish('web/alice', messageEvent('for-alice', 'y'.repeat(10_000)));
      await publisher.hub.publish('web/bob', messageEvent('for-bob', 'z'.repeat(10_000)));
      await expect.poll(() => events.length, { timeout: 5_000 }).toBe(1);
      expect(events[0]?.type === 'message' && events[0].entry.message.id).toBe('for-bob');
    });
  });

  describe('when the server cannot be reached', () => {
    it('rejects at open with a StorageUnavailableError at once when nothing listens, the password redacted', async () => {
      const port = await freePort();
      const started = Date.now();
      const opening = createPostgresStores({
        url: `postgres://handoff:s3cret-pass@127.0.0.1:${port}/handoff`,
      });
      await expect(opening).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(opening).rejects.toThrow(`postgres://handoff:redacted@127.0.0.1:${port}/handoff`);
      await opening.catch((error: Error) => expect(error.message).not.toContain('s3cret-pass'));
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it('gives up after the connect timeout when the server accepts but never answers', async () => {
      const silent: Server = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const address = silent.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const started = Date.now();
      try {
        await expect(
          createPostgresStores({ url: `postgres://u:p@127.0.0.1:${address.port}/db`, connectTimeoutMs: 500 }),
        ).rejects.toBeInstanceOf(StorageUnavailableError);
        expect(Date.now() - started).toBeLessThan(3_000);
      } finally {
        silent.close();
      }
    });

    it('fails a statement held up by a lock after the statement timeout, typed, instead of hanging', async () => {
      const tablePrefix = `slow_${++prefixes}`;
      const stores = await instance({ tablePrefix, statementTimeoutMs: 300 });
      const blocker = new pg.Client({ connectionString: server.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(`LOCK TABLE "public"."${tablePrefix}_bot_state" IN ACCESS EXCLUSIVE MODE`);
        const started = Date.now();
        await expect(stores.botState.get('k')).rejects.toBeInstanceOf(StorageUnavailableError);
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        await blocker.query('ROLLBACK');
        await blocker.end();
      }
      expect(await stores.botState.get('k')).toBeUndefined();
    });

    it('fails fast and typed while the server is away, and recovers when it is back, telling streams to resync', async () => {
      const tablePrefix = `outage_${++prefixes}`;
      const stores = await instance({ tablePrefix, connectTimeoutMs: 1_000 });
      const events: LiveEvent[] = [];
      const changes: string[] = [];
      await stores.hub.subscribe('web/alice', (event) => events.push(event));
      await stores.chatbots.watch((change) => changes.push(change.type));
      await stores.botState.put('kept', 'before');
      await server.kill();
      try {
        const started = Date.now();
        await expect(stores.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
        await expect(stores.idempotency.get('x')).rejects.toBeInstanceOf(StorageUnavailableError);
        await expect(
          stores.storage.outbox.enqueue([{ id: 'a', lane: 'l', kind: 'k', payload: null }]),
        ).rejects.toBeInstanceOf(StorageUnavailableError);
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await server.restart();
      }
      await expect
        .poll(
          () =>
            stores.ping().then(
              () => 'ready',
              () => 'not yet',
            ),
          { timeout: 10_000 },
        )
        .toBe('ready');
      expect(await stores.botState.get('kept')).toBe('before');
      // What was notified meanwhile is lost: listeners are told to read again.
      await expect.poll(() => events, { timeout: 10_000 }).toEqual([{ type: 'resync' }]);
      await expect.poll(() => changes, { timeout: 10_000 }).toEqual(['resync']);
      await stores.hub.publish('web/alice', messageEvent('after', 'back'));
      await expect.poll(() => events.length, { timeout: 5_000 }).toBe(2);
    }, 40_000);
  });
});

describe('redactPostgresUrl', () => {
  it('hides the password of the URL and of its query, and keeps the rest', () => {
    expect(redactPostgresUrl('postgres://handoff:s3cret@db.internal:5432/handoff?sslmode=require')).toBe(
      'postgres://handoff:redacted@db.internal:5432/handoff?sslmode=require',
    );
    expect(redactPostgresUrl('postgresql://db/handoff?user=h&password=s3cret')).toBe(
      'postgresql://db/handoff?user=h&password=redacted',
    );
    expect(redactPostgresUrl('postgres://handoff@127.0.0.1/handoff')).toBe(
      'postgres://handoff@127.0.0.1/handoff',
    );
  });

  it('says the URL cannot be read instead of echoing it', () => {
    expect(redactPostgresUrl('not a url with s3cret')).toBe('postgres://(unparsable URL)');
  });
});
