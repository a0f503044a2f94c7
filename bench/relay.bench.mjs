// Environment: BENCH_USERS (32), BENCH_MESSAGES per user per round (20), BENCH_ROUNDS (3),
// BENCH_RELAY_PATHS (to-support,to-channel: the directions measured);
// BENCH_PROFILE_CHILD=./runtime-server.mjs writes a CPU profile of the runtime to /tmp/prof
// (`node bench/lib/profile-stages.mjs /tmp/prof/<file>.cpuprofile` splits it by stage).
//
// Relay speed in human mode, CPU-bound: the fake Chatwoot answers at once. The runtime (its own
// process, SQLite, durable outbox) against a bare proxy (its own process, one undici call per
// message, nothing stored), same load, same run: user messages to Chatwoot, and agent messages
// from Chatwoot's webhooks to the channel's callback. Also the CPU time each process spent per
// message (the runtime's handling of the echo webhooks of its own posts included), and the
// method check: during a phase, the process not measured received nothing.
import { formatNumber, median, printTable, report } from './lib/bench-kit.mjs';
import { drive, measure } from './lib/relay-kit.mjs';
import { startRelayPair } from './lib/relay-pair.mjs';

const pair = await startRelayPair();
const { load, users, perUser, rounds } = pair;

const summarise = (samples) => ({
  perSecond: median(samples.map((sample) => sample.perSecond)),
  p50: median(samples.map((sample) => sample.p50)),
  p99: median(samples.map((sample) => sample.p99)),
  cpuMicrosPerMessage: median(samples.map((sample) => sample.cpuMicrosPerMessage)),
});
const messages = users * perUser;
/** The figures of one phase, its CPU per message, and what the other process wrongly received. */
const phaseFigures = (phase, measured, other) => ({
  perSecond: phase.perSecond,
  p50: phase.p50,
  p99: phase.p99,
  cpuMicrosPerMessage: phase.processes[measured].cpuMicros / messages,
  strayRequests: phase.processes[other].requests.userMessages + phase.processes[other].requests.webhooks,
});

try {
  const conversationOf = await pair.handOff('relay', users);
  const bareConversationOf = await pair.bareConversations('bare', users);
  const allPaths = {
    'user → Chatwoot': {
      runtime: (user, text) => pair.throughRuntime('relay', user, text),
      bare: (user, text) => pair.throughBare(bareConversationOf[user], text),
      arrivedAt: pair.arrivedAtChatwoot,
    },
    'Chatwoot webhook → channel callback': {
      runtime: (user, text) => pair.agentSays(conversationOf[user], text),
      bare: (user, text) => pair.agentSays(bareConversationOf[user], text),
      arrivedAt: pair.arrivedAtChannel,
    },
  };
  const chosen = (process.env.BENCH_RELAY_PATHS ?? 'to-support,to-channel').split(',');
  const paths = Object.fromEntries(
    Object.entries(allPaths).filter((_, index) => chosen.includes(['to-support', 'to-channel'][index])),
  );
  const results = {};
  const rows = [];
  let strayRequests = 0;
  for (const [name, path] of Object.entries(paths)) {
    const samples = { runtime: [], bare: [] };
    for (let round = -1; round < rounds; round += 1) {
      const runtimePhase = await pair.phase('runtime', async () =>
        measure(await drive(load, path.runtime, `${name} runtime r${round}`), path.arrivedAt),
      );
      const barePhase = await pair.phase('bare', async () =>
        measure(await drive(load, path.bare, `${name} bare r${round}`), path.arrivedAt),
      );
      strayRequests +=
        phaseFigures(runtimePhase, 'runtime', 'bare').strayRequests +
        phaseFigures(barePhase, 'bare', 'runtime').strayRequests;
      if (round < 0) continue; // warm-up
      samples.runtime.push(phaseFigures(runtimePhase, 'runtime', 'bare'));
      samples.bare.push(phaseFigures(barePhase, 'bare', 'runtime'));
    }
    const through = summarise(samples.runtime);
    const direct = summarise(samples.bare);
    results[name] = {
      runtime: through,
      bare: direct,
      ratio: through.perSecond / direct.perSecond,
      addedP50Ms: through.p50 - direct.p50,
      addedP99Ms: through.p99 - direct.p99,
      cpuRatio: through.cpuMicrosPerMessage / direct.cpuMicrosPerMessage,
    };
    rows.push([
      name,
      formatNumber(through.perSecond),
      formatNumber(direct.perSecond),
      formatNumber(results[name].ratio, 2),
      `${formatNumber(through.p50, 1)} / ${formatNumber(through.p99, 1)}`,
      `${formatNumber(direct.p50, 1)} / ${formatNumber(direct.p99, 1)}`,
      `${formatNumber(through.cpuMicrosPerMessage)} / ${formatNumber(direct.cpuMicrosPerMessage)}`,
      formatNumber(results[name].cpuRatio, 2),
    ]);
  }
  console.log(
    `${users} concurrent users, ${perUser} messages each, median of ${rounds} rounds after a warm-up; runtime on SQLite; the fake answers at once`,
  );
  printTable(
    [
      'path',
      'runtime msg/s',
      'bare msg/s',
      'ratio',
      'runtime p50/p99 ms',
      'bare p50/p99 ms',
      'CPU µs/msg runtime / bare',
      'CPU ratio',
    ],
    rows,
  );
  const targets = [];
  for (const [name, figures] of Object.entries(results)) {
    targets.push({
      name: `CPU-bound relay throughput at least 0.5 of the bare proxy (${name})`,
      met: figures.ratio >= 0.5,
      figure: figures.ratio,
    });
    targets.push({
      name: `CPU per relayed message at most 2 × the bare proxy's (${name})`,
      met: figures.cpuRatio <= 2,
      figure: figures.cpuRatio,
    });
  }
  targets.push({
    name: "method: neither process received requests during the other one's phase",
    met: strayRequests === 0,
    figure: strayRequests,
  });
  for (const target of targets) {
    console.log(
      `target ${target.met ? 'met    ' : 'NOT met'} ${target.name}: ${formatNumber(target.figure, 2)}`,
    );
  }
  console.log('(ratios compare across machines; msg/s, ms and µs are this machine only)');
  report('relay', { kind: 'ratios and absolute', users, perUser, rounds, results, targets });
} finally {
  await pair.close();
}
