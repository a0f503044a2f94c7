// Environment: BENCH_HANDOFFS per support latency (40).
//
// Time to an agent: from the bot's handoff request (the user's "agent", which the demo bot answers
// with a handoff) to the transfer done and the agents notified (Chatwoot's bot handoff, the
// conversation's toggle to `open`, answered), with the fake Chatwoot answering at once and after
// 50 ms. One handoff at a time, so every call the fake receives in between belongs to it: the
// sequential calls are the waves of calls, a call starting a new wave when it comes after every
// call of the current wave was answered.
import { formatNumber, percentile, printTable, report } from './lib/bench-kit.mjs';
import { until } from './lib/relay-kit.mjs';
import { startRelayPair } from './lib/relay-pair.mjs';

const handoffs = Number(process.env.BENCH_HANDOFFS ?? 40);
const pair = await startRelayPair();
const { fake, post, auth } = pair;

/** Waves of the calls in `calls` (each with receivedMs and answeredMs): the calls made one after another. */
function sequentialCalls(calls) {
  const waves = [];
  for (const call of [...calls].sort((left, right) => left.receivedMs - right.receivedMs)) {
    const wave = waves.at(-1);
    if (wave === undefined || call.receivedMs >= wave.endsMs)
      waves.push({ startsMs: call.receivedMs, endsMs: call.answeredMs });
    else wave.endsMs = Math.max(wave.endsMs, call.answeredMs);
  }
  return {
    count: waves.length,
    // The time spent waiting for the support system: from each wave's first request to its last answer.
    supportMs: waves.reduce((sum, wave) => sum + (wave.endsMs - wave.startsMs), 0),
  };
}

const isAgentsNotified = (entry, conversationId) =>
  entry.path.endsWith(`/conversations/${conversationId}/toggle_status`) && entry.body?.status === 'open';

try {
  const results = {};
  const rows = [];
  const targets = [];
  for (const latencyMs of [0, 50]) {
    pair.setLatency(latencyMs);
    const times = [];
    const callCounts = [];
    const waveCounts = [];
    const ownTimes = [];
    for (let index = -2; index < handoffs; index += 1) {
      const user = `${pair.runtime.url}/v1/channels/web/users/agent-${latencyMs}-${index + 2}`;
      await post(`${user}/messages`, { text: 'I want a refund' }, auth);
      await fake.idle();
      const from = fake.requests.length;
      const requestedAt = performance.now();
      await post(`${user}/messages`, { text: 'agent' }, auth);
      const notified = await until(() => {
        for (let scan = from; scan < fake.requests.length; scan += 1) {
          const entry = fake.requests[scan];
          const conversation = /\/conversations\/(\d+)\/toggle_status$/.exec(entry.path)?.[1];
          if (conversation !== undefined && isAgentsNotified(entry, conversation) && entry.timing.answeredMs)
            return { entry, at: scan };
        }
        return undefined;
      }, 'agents notified');
      const calls = fake.requests.slice(from, notified.at + 1).map((entry) => ({
        receivedMs: entry.timing.receivedMs,
        answeredMs: entry.timing.answeredMs ?? entry.timing.receivedMs,
      }));
      await fake.idle();
      if (index < 0) continue; // warm-up
      const total = notified.entry.timing.answeredMs - requestedAt;
      const waves = sequentialCalls(calls);
      times.push(total);
      callCounts.push(calls.length);
      waveCounts.push(waves.count);
      ownTimes.push(total - waves.supportMs);
    }
    const figures = {
      latencyMs,
      handoffs,
      p50Ms: percentile(times, 0.5),
      p99Ms: percentile(times, 0.99),
      calls: percentile(callCounts, 0.5),
      sequentialCalls: percentile(waveCounts, 0.5),
      // Everything but the waiting for the support system: the runtime, loopback, the fake's timers.
      ownP50Ms: percentile(ownTimes, 0.5),
      ownP99Ms: percentile(ownTimes, 0.99),
    };
    results[`${latencyMs}ms`] = figures;
    rows.push([
      `${latencyMs} ms`,
      formatNumber(figures.p50Ms, 1),
      formatNumber(figures.p99Ms, 1),
      figures.calls,
      latencyMs === 0 ? '-' : figures.sequentialCalls,
      `${formatNumber(figures.ownP50Ms, 1)} / ${formatNumber(figures.ownP99Ms, 1)}`,
    ]);
    if (latencyMs === 50) {
      const budget = figures.sequentialCalls * 50 + 20;
      targets.push({
        name: `time to an agent at 50 ms support latency: p99 at most ${figures.sequentialCalls} sequential calls × 50 ms + 20 ms (${budget} ms)`,
        met: figures.p99Ms <= budget,
        figure: figures.p99Ms,
      });
    }
  }
  console.log(
    `${handoffs} handoffs per latency, one at a time, a new user each (two turns: the transcript has 4 messages)`,
  );
  printTable(
    [
      'support latency',
      'p50 ms',
      'p99 ms',
      'support calls',
      'sequential calls',
      'not waiting for support p50 / p99 ms',
    ],
    rows,
  );
  for (const target of targets) {
    console.log(
      `target ${target.met ? 'met    ' : 'NOT met'} ${target.name}: ${formatNumber(target.figure, 1)} ms`,
    );
  }
  report('time-to-agent', { kind: 'counts and absolute', handoffs, results, targets });
} finally {
  await pair.close();
}
