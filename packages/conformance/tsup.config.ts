import { definePackageBuild } from '../../tsup.shared.js';

export default definePackageBuild({ index: 'src/index.ts', cli: 'src/cli.ts' }, ['vitest']);
