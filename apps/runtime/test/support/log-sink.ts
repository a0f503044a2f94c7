import { Writable } from 'node:stream';

/** A stream for the runtime's `logStream`, and its JSON log lines as written. */
export function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      buffer += chunk.toString();
      let end = buffer.indexOf('\n');
      while (end !== -1) {
        lines.push(JSON.parse(buffer.slice(0, end)) as Record<string, unknown>);
        buffer = buffer.slice(end + 1);
        end = buffer.indexOf('\n');
      }
      done();
    },
  });
  return { stream, lines };
}
