#!/usr/bin/env node
// Splits a CPU profile of the runtime (`--cpu-prof`, see bench/README.md) by relay stage:
//   node bench/lib/profile-stages.mjs <file.cpuprofile> [messages]
// Each sample goes to the innermost frame on its stack that names a stage (so the session write
// inside a user's turn counts as "store", not "accept"); samples with no such frame are the HTTP
// server, sockets and timers (no application frame on the stack), the garbage collector, start-up
// or idle. With `messages`, also the CPU µs per message of each stage.
import { readFileSync } from 'node:fs';

/** Stage of a frame: [stage, function names, where the function lives]. First match wins. */
const stageRules = [
  ['store', ['compareAndSet', 'update', 'enqueue', 'get', 'load'], ['storage-', 'core/dist']],
  ['claim', ['claim', 'nextDueAt', 'counts', 'loop', 'checkIdle'], ['storage-', 'core/dist']],
  ['complete', ['complete', 'settle'], ['storage-', 'core/dist']],
  ['verify the echo / webhook', ['handleWebhook', 'receiveWebhook', 'parseWebhookJson', 'applyEvents'], ['']],
  ['deliver', ['deliver', 'call', 'callWithDeadline', 'postSigned', 'holdLease', 'run'], ['']],
  ['accept', ['runTurn', 'handleUserMessage', 'authenticate', 'parseRequest'], ['']],
];
const startUp = [
  'wrapSafe',
  'compileSourceTextModule',
  'compileForInternalLoader',
  'assembleRuntime',
  'createRuntime',
];

export function profileStages(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stageOfNode = new Map();
  const stageOf = (id) => {
    if (stageOfNode.has(id)) return stageOfNode.get(id);
    const { functionName, url } = nodes.get(id).callFrame;
    let stage;
    if (functionName === '(idle)') stage = 'idle';
    else if (functionName === '(garbage collector)') stage = 'garbage collector';
    else if (startUp.includes(functionName)) stage = 'start-up';
    else {
      const rule = stageRules.find(
        ([, names, places]) => names.includes(functionName) && places.some((place) => url.includes(place)),
      );
      const parent = parentOf.get(id);
      stage = rule?.[0] ?? (parent === undefined ? 'HTTP, sockets, timers' : stageOf(parent));
    }
    stageOfNode.set(id, stage);
    return stage;
  };
  const totals = new Map();
  profile.samples.forEach((id, index) => {
    const stage = stageOf(id);
    totals.set(stage, (totals.get(stage) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return Object.fromEntries([...totals].map(([stage, micros]) => [stage, micros / 1000]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, messages] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: node bench/lib/profile-stages.mjs <file.cpuprofile> [messages]');
    process.exit(2);
  }
  const stages = profileStages(JSON.parse(readFileSync(file, 'utf8')));
  const busy = Object.entries(stages)
    .filter(([stage]) => stage !== 'idle')
    .reduce((sum, [, ms]) => sum + ms, 0);
  const total = busy + (stages.idle ?? 0);
  console.log(
    `busy ${busy.toFixed(0)} ms of ${total.toFixed(0)} ms (idle ${(((stages.idle ?? 0) / total) * 100).toFixed(0)}%)`,
  );
  for (const [stage, ms] of Object.entries(stages).sort((left, right) => right[1] - left[1])) {
    if (stage === 'idle') continue;
    const perMessage =
      messages === undefined ? '' : `  ${((ms * 1000) / Number(messages)).toFixed(0)} µs/msg`;
    console.log(
      `${stage.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms  ${((ms / busy) * 100).toFixed(1).padStart(5)}% of busy${perMessage}`,
    );
  }
}
