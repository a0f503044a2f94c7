import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts a bench server script in its own process; resolves with its URL, `probe()` (its CPU time
 * in µs and the requests it received by path, from `answerProbes` in the script) and `stop()`.
 */
export function startChildServer(script, env) {
  const profile =
    process.env.BENCH_PROFILE_CHILD === script ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [];
  const child = spawn(process.execPath, [...profile, fileURLToPath(new URL(script, import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\S+)/.exec(output);
      if (match === null) return;
      child.removeAllListeners('exit');
      resolve({
        url: match[1],
        pid: child.pid,
        probe: () =>
          new Promise((done) => {
            const onMessage = (message) => {
              if (message?.probe === undefined) return;
              child.off('message', onMessage);
              done(message.probe);
            };
            child.on('message', onMessage);
            child.send('probe');
          }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
