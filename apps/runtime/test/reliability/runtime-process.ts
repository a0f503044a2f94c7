import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built runtime (`pnpm build` / turbo build); the scenarios run it as a child process. */
export const builtRuntime = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

const startTimeoutMs = 15_000;
/** A runtime still running this long after SIGTERM is killed (and says so in its output). */
const stopTimeoutMs = 10_000;

/** The built runtime as a child process: restartable, killable without warning. */
export interface RuntimeProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Starts it and waits until it says it is listening (fails if it exits first). */
  start(): Promise<void>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful shutdown), and waits for the exit; SIGKILL if that takes over 10 s. */
  stop(): Promise<void>;
  /** Whether it was started and has not exited since. */
  running(): boolean;
  /** What it printed since it last started. */
  output(): string;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function signalAndWait(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<boolean> {
  if (child === undefined || hasExited(child)) return true;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  if (signal === 'SIGKILL') {
    await exited;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), stopTimeoutMs);
  });
  const stopped = await Promise.race([exited.then(() => true), timedOut]);
  clearTimeout(timer);
  if (!stopped) await signalAndWait(child, 'SIGKILL');
  return stopped;
}

/**
 * The built runtime (`dist/main.js --config <configPath>`) on 127.0.0.1:`port`, with HANDOFF_PORT
 * and HANDOFF_LOG_LEVEL=warn set over the environment, then `env` on top.
 */
export function runtimeProcess(
  configPath: string,
  port: number,
  env: Record<string, string> = {},
): RuntimeProcess {
  let child: ChildProcess | undefined;
  let output = '';
  // A test run that ends abruptly must not leave runtimes behind.
  const killOnExit = () => child?.kill('SIGKILL');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async start(): Promise<void> {
      output = '';
      const started = spawn(process.execPath, [builtRuntime, '--config', configPath], {
        env: { ...process.env, HANDOFF_PORT: String(port), HANDOFF_LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      process.once('exit', killOnExit);
      started.once('exit', () => process.removeListener('exit', killOnExit));
      started.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      started.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      const deadline = Date.now() + startTimeoutMs;
      while (!output.includes('Handoff runtime listening')) {
        if (hasExited(started))
          throw new Error(`the runtime exited with ${started.exitCode ?? started.signalCode}: ${output}`);
        if (Date.now() > deadline) {
          await signalAndWait(started, 'SIGKILL');
          throw new Error(`the runtime did not start: ${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async kill() {
      await signalAndWait(child, 'SIGKILL');
    },
    async stop() {
      if (!(await signalAndWait(child, 'SIGTERM')))
        output += `\n[the runtime did not stop within ${stopTimeoutMs} ms of SIGTERM and was killed]\n`;
    },
    running: () => child !== undefined && !hasExited(child),
    output: () => output,
  };
}
