// The stage split of bench/lib/profile-stages.mjs on a small made-up profile: each sample goes to
// the innermost frame that names a stage, and frames of no stage count as HTTP, sockets, timers.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs tool without types
import { profileStages } from '../bench/lib/profile-stages.mjs';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
const app = 'file:///repo/packages/core/dist/index.js';
const sqlite = 'file:///repo/packages/storage-sqlite/dist/index.js';

describe('profile stages', () => {
  it('puts each sample in the stage of its innermost named frame', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 6, 7] },
        { id: 2, callFrame: frame('(idle)'), children: [] },
        { id: 3, callFrame: frame('runTurn', app), children: [4] },
        { id: 4, callFrame: frame('compareAndSet', sqlite), children: [5] },
        { id: 5, callFrame: frame('stringify'), children: [] },
        { id: 6, callFrame: frame('parserOnHeadersComplete', 'node:_http_common'), children: [] },
        { id: 7, callFrame: frame('runTurn', app), children: [] },
      ],
      samples: [2, 5, 5, 6, 7],
      timeDeltas: [1_000, 2_000, 3_000, 4_000, 5_000],
    };
    expect(profileStages(profile)).toEqual({
      idle: 1,
      store: 5,
      'HTTP, sockets, timers': 4,
      accept: 5,
    });
  });
});
