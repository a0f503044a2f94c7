// The connection that LISTENs: one per instance, outside the pool, reconnecting when it is lost.
import pg from 'pg';

/** How often the listening connection is checked. */
const heartbeatMs = 15_000;

export type NotificationHandler = (payload: string) => void;

/**
 * A connection of its own LISTENing on the deployment's channels. When it is lost it reconnects
 * (every 200 ms more, at most 2 s apart) and listens again, then calls the `onReconnect` hooks:
 * what was notified meanwhile is lost, so those who listen read again what they hold.
 */
export function createPostgresListener(settings: {
  connection: pg.ClientConfig;
  channels: Record<string, NotificationHandler>;
  onReconnect: () => void;
}) {
  let listener: pg.Client | undefined;
  let closed = false;
  let reconnecting: ReturnType<typeof setTimeout> | undefined;

  /** The connection is gone: let it go, and connect again. */
  const drop = (client: pg.Client) => {
    if (listener !== client) return;
    listener = undefined;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    scheduleReconnect(1);
  };

  const connect = async () => {
    const client = new pg.Client(settings.connection);
    client.on('notification', (message) => {
      const handler = settings.channels[message.channel];
      if (handler !== undefined && message.payload !== undefined) handler(message.payload);
    });
    const lost = () => drop(client);
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      for (const channel of Object.keys(settings.channels)) await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await client.end().catch(() => undefined);
      return;
    }
    listener = client;
  };

  // An idle connection cut off by the network says nothing: a query now and then finds out.
  const heartbeat = setInterval(() => {
    const client = listener;
    if (client === undefined) return;
    client.query('SELECT 1').catch(() => drop(client));
  }, heartbeatMs);
  heartbeat.unref();

  const scheduleReconnect = (attempt: number) => {
    if (closed || reconnecting !== undefined) return;
    reconnecting = setTimeout(
      () => {
        reconnecting = undefined;
        connect().then(settings.onReconnect, () => scheduleReconnect(attempt + 1));
      },
      Math.min(attempt * 200, 2_000),
    );
    reconnecting.unref();
  };

  return {
    /** Connects and listens; rejects when the server cannot be reached. */
    start: connect,
    /** True while the connection is up. */
    get listening() {
      return listener !== undefined;
    },
    async close() {
      closed = true;
      clearInterval(heartbeat);
      if (reconnecting !== undefined) clearTimeout(reconnecting);
      reconnecting = undefined;
      const client = listener;
      listener = undefined;
      if (client !== undefined) {
        client.removeAllListeners('notification');
        await client.end().catch(() => undefined);
      }
    },
  };
}
