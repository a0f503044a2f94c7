// What a bench server process tells the benchmark about itself, over its IPC channel: its CPU
// time so far (`process.cpuUsage`, user + system) and the HTTP requests it received, by path. The
// benchmark reads both before and after a phase: CPU per message, and proof that a process the
// phase is not about received nothing (its echo webhooks went to the process measured).
import { subscribe } from 'node:diagnostics_channel';

export function answerProbes() {
  const requests = {};
  subscribe('http.server.request.start', ({ request }) => {
    const path = (request.url ?? '').split('?')[0];
    requests[path] = (requests[path] ?? 0) + 1;
  });
  process.on('message', (message) => {
    if (message !== 'probe') return;
    const { user, system } = process.cpuUsage();
    process.send?.({ probe: { cpuMicros: user + system, requests: { ...requests } } });
  });
}
