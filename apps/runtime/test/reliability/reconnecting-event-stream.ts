import { request } from 'undici';

/** One server-sent event as it came, repeats included. */
interface ReceivedServerEvent {
  event: string;
  /** The `id:` field (the mailbox sequence), if any. */
  id: string | undefined;
  data: Record<string, unknown>;
  /** The runtime it came from. */
  instance: string;
}

export interface ReconnectingEventStreamSettings {
  /** `/v1/channels/<channel>/users/<user>/events` */
  path: string;
  token: string;
  /**
   * The runtime (`http://127.0.0.1:<port>`) to connect to; `previous` is the one whose stream
   * just ended or refused, if any.
   */
  pickInstance: (previous: string | undefined) => string;
}

const reconnectDelayMs = 50;

/** Parses the `field: value` lines of one event block; comment lines (`:`) are skipped. */
function eventFields(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || !line.includes(':')) continue;
    const colon = line.indexOf(':');
    const value = line.slice(colon + 1);
    fields[line.slice(0, colon)] = value.startsWith(' ') ? value.slice(1) : value;
  }
  return fields;
}

/**
 * A channel's server-sent events client that survives its runtime dying: when a stream ends or
 * cannot be opened it connects again, to the instance `pickInstance` names, sending
 * `Last-Event-ID` (or `?after=0` while no event was seen, so nothing before is missed). Every
 * event is kept as it came: the caller sees repeats.
 */
export function openReconnectingEventStream(settings: ReconnectingEventStreamSettings) {
  const events: ReceivedServerEvent[] = [];
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let connections = 0;
  let current: string | undefined;
  let closed = false;

  const readOnce = async (instance: string) => {
    const response = await request(
      `${instance}${settings.path}${lastEventId === undefined ? '?after=0' : ''}`,
      {
        headers: {
          authorization: `Bearer ${settings.token}`,
          accept: 'text/event-stream',
          ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
        },
        signal: controller.signal,
        headersTimeout: 5_000,
        bodyTimeout: 0,
      },
    );
    if (response.statusCode !== 200) {
      await response.body.dump();
      return;
    }
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += chunk.toString();
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf('\n\n');
        // The runtime writes this comment once it listens: from here on nothing is missed.
        if (block === ': connected') {
          connections += 1;
          current = instance;
        }
        const fields = eventFields(block);
        if (fields.data === undefined) continue;
        if (fields.id !== undefined) lastEventId = fields.id;
        events.push({
          event: fields.event ?? 'message',
          id: fields.id,
          data: JSON.parse(fields.data) as Record<string, unknown>,
          instance,
        });
      }
    }
  };

  const running = (async () => {
    let previous: string | undefined;
    while (!closed) {
      const instance = settings.pickInstance(previous);
      try {
        await readOnce(instance);
      } catch {
        // The runtime died, refused or reset: connect again elsewhere.
      }
      current = undefined;
      previous = instance;
      if (!closed) await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs));
    }
  })();

  return {
    /** Every event received, in order, repeats included. */
    events,
    /** Streams opened and listening so far (1 + reconnections). */
    connections: () => connections,
    /** The runtime the open stream comes from, if one is open. */
    instance: () => current,
    /** Resolves once a stream is open and listening. */
    async connected(timeoutMs = 5_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (current === undefined) {
        if (Date.now() > deadline) throw new Error(`no event stream opened on ${settings.path}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close(): Promise<void> {
      closed = true;
      controller.abort();
      await running;
    },
  };
}

export type ReconnectingEventStream = ReturnType<typeof openReconnectingEventStream>;
