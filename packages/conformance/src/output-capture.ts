import { format } from 'node:util';

type Listener = (line: string) => void;

const listeners = new Set<Listener>();
let restore: (() => void) | undefined;

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

function install() {
  const originals = consoleMethods.map((name) => [name, console[name]] as const);
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  for (const [name, original] of originals) {
    console[name] = (...args: unknown[]) => {
      const line = format(...args);
      for (const listener of listeners) listener(`console.${name}: ${line}`);
      original.apply(console, args);
    };
  }
  const wrap = (stream: 'stdout' | 'stderr', original: typeof process.stdout.write) =>
    function write(this: unknown, chunk: unknown, ...rest: unknown[]) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      for (const listener of listeners) listener(`${stream}: ${text}`);
      return (original as (...args: unknown[]) => boolean).call(process[stream], chunk, ...rest);
    } as typeof process.stdout.write;
  process.stdout.write = wrap('stdout', stdoutWrite);
  process.stderr.write = wrap('stderr', stderrWrite);
  restore = () => {
    for (const [name, original] of originals) console[name] = original;
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  };
}

/**
 * Collects what is written to the console and to stdout and stderr while it runs (a log line an
 * adapter writes, by whatever logger). Several captures may run at once; each sees every line.
 */
export function captureOutput(): { lines: () => readonly string[]; stop: () => void } {
  const lines: string[] = [];
  const listener: Listener = (line) => {
    lines.push(line);
  };
  if (listeners.size === 0) install();
  listeners.add(listener);
  let stopped = false;
  return {
    lines: () => lines,
    stop() {
      if (stopped) return;
      stopped = true;
      listeners.delete(listener);
      if (listeners.size === 0) {
        restore?.();
        restore = undefined;
      }
    },
  };
}
