// Environment: BENCH_SLOW_USERS (32,256), BENCH_SLOW_LATENCIES (50,200 ms), BENCH_MESSAGES per
// user per round (20), BENCH_ROUNDS (3).
//
// Relay against a slow support system: the fake Chatwoot answers every call after 50 ms or 200 ms,
// as hosted systems far away do. Each user sends its next message once the support system
// answered the previous one (the user sees it delivered), through the runtime (its own process,
// SQLite, durable outbox) or through the bare proxy (its own process, one call per message,
// nothing stored), in the same run. Latency: from the user's send to the message reaching the
// support system. Each configuration has users of its own (Chatwoot allows 200 messages per
// conversation per minute).
import { formatNumber, median, printTable, report } from './lib/bench-kit.mjs';
import { chatwootAnswers, drive, measure } from './lib/relay-kit.mjs';
import { startRelayPair } from './lib/relay-pair.mjs';

const list = (value, fallback) => (value ?? fallback).split(',').map(Number);
const userCounts = list(process.env.BENCH_SLOW_USERS, '32,256');
const latencies = list(process.env.BENCH_SLOW_LATENCIES, '50,200');

const pair = await startRelayPair();
const { perUser, rounds } = pair;
const answered = chatwootAnswers(pair.fake);
const summarise = (samples) => ({
  perSecond: median(samples.map((sample) => sample.perSecond)),
  p50: median(samples.map((sample) => sample.p50)),
  p99: median(samples.map((sample) => sample.p99)),
});

try {
  const results = {};
  const rows = [];
  const targets = [];
  for (const latencyMs of latencies) {
    for (const users of userCounts) {
      const label = `${latencyMs}ms-${users}u`;
      pair.setLatency(0); // the set-up is not what is measured
      const conversations = await pair.handOff(`slow-${label}`, users);
      const bareConversations = await pair.bareConversations(`bare-${label}`, users);
      pair.setLatency(latencyMs);
      const load = { users, perUser };
      const samples = { runtime: [], bare: [] };
      for (let round = -1; round < rounds; round += 1) {
        const runtimePhase = await pair.phase('runtime', async () =>
          measure(
            await drive(
              load,
              (user, text) => pair.throughRuntime(`slow-${label}`, user, text),
              `${label} runtime r${round}`,
              answered,
            ),
            pair.arrivedAtChatwoot,
          ),
        );
        const barePhase = await pair.phase('bare', async () =>
          measure(
            await drive(
              load,
              (user, text) => pair.throughBare(bareConversations[user], text),
              `${label} bare r${round}`,
              answered,
            ),
            pair.arrivedAtChatwoot,
          ),
        );
        if (round < 0) continue; // warm-up
        samples.runtime.push(runtimePhase);
        samples.bare.push(barePhase);
      }
      void conversations;
      const through = summarise(samples.runtime);
      const direct = summarise(samples.bare);
      const figures = {
        latencyMs,
        users,
        runtime: through,
        bare: direct,
        ratio: through.perSecond / direct.perSecond,
        addedP50Ms: through.p50 - direct.p50,
        addedP99Ms: through.p99 - direct.p99,
      };
      results[label] = figures;
      rows.push([
        `${latencyMs} ms`,
        users,
        formatNumber(through.perSecond),
        formatNumber(direct.perSecond),
        formatNumber(figures.ratio, 2),
        `${formatNumber(figures.addedP50Ms, 1)} / ${formatNumber(figures.addedP99Ms, 1)}`,
      ]);
      if (latencyMs === 50) {
        targets.push(
          {
            name: `50 ms support latency, ${users} users: throughput at least 0.95 of the bare proxy`,
            met: figures.ratio >= 0.95,
            figure: figures.ratio,
          },
          {
            // Latencies compare only at the same throughput: a bare proxy that falls behind queues too.
            name: `50 ms support latency, ${users} users: at most 5 ms added p99, keeping up with the bare proxy`,
            met: figures.addedP99Ms <= 5 && figures.ratio >= 0.95,
            figure: figures.addedP99Ms,
          },
        );
      }
    }
  }
  console.log(
    `user → Chatwoot, ${perUser} messages per user, each sent once the previous one was answered; median of ${rounds} rounds after a warm-up`,
  );
  printTable(
    ['support latency', 'users', 'runtime msg/s', 'bare msg/s', 'ratio', 'added p50 / p99 ms'],
    rows,
  );
  for (const target of targets) {
    console.log(
      `target ${target.met ? 'met    ' : 'NOT met'} ${target.name}: ${formatNumber(target.figure, 2)}`,
    );
  }
  report('relay-slow-support', { kind: 'ratios and absolute', perUser, rounds, results, targets });
} finally {
  await pair.close();
}
