/** One server-sent event: its name (`message` by default), id and data. */
export interface ServerSentEvent {
  event: string;
  id?: string;
  data: string;
}

/**
 * Parses a `text/event-stream` body fed in chunks of any size (the SSE format: `field: value`
 * lines, a blank line ends an event, lines starting with `:` are comments).
 */
export function createEventStreamParser(onEvent: (event: ServerSentEvent) => void) {
  let buffer = '';
  let event = '';
  let id: string | undefined;
  let data: string[] = [];

  const dispatch = () => {
    if (data.length > 0)
      onEvent({ event: event || 'message', ...(id === undefined ? {} : { id }), data: data.join('\n') });
    event = '';
    id = undefined;
    data = [];
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  };

  return {
    push(chunk: string) {
      buffer += chunk;
      let end = buffer.search(/\r\n|\r|\n/);
      while (end !== -1) {
        const newline = buffer.startsWith('\r\n', end) ? 2 : 1;
        line(buffer.slice(0, end));
        buffer = buffer.slice(end + newline);
        end = buffer.search(/\r\n|\r|\n/);
      }
    },
  };
}
