import { describe, expect, it } from 'vitest';
import { createEventStreamParser, type ServerSentEvent } from './event-stream-parser.js';

describe('event stream parser', () => {
  const parse = (chunks: string[]) => {
    const events: ServerSentEvent[] = [];
    const parser = createEventStreamParser((event) => events.push(event));
    for (const chunk of chunks) parser.push(chunk);
    return events;
  };

  it('reads events split anywhere, with ids, names, comments and multi-line data', () => {
    const body =
      ': connected\n\nid: 7\nevent: message\ndata: {"text":"hi"}\n\nevent: typing\ndata: a\ndata: b\n\n';
    const expected = [
      { event: 'message', id: '7', data: '{"text":"hi"}' },
      { event: 'typing', data: 'a\nb' },
    ];
    expect(parse([body])).toEqual(expected);
    expect(parse(body.split(''))).toEqual(expected);
  });

  it('accepts CRLF line ends and waits for the blank line before dispatching', () => {
    expect(parse(['data: one\r\n', '\r\n', 'data: two\r\n'])).toEqual([{ event: 'message', data: 'one' }]);
  });
});
