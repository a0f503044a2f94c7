import { definePackageBuild } from '../../tsup.shared.js';

export default definePackageBuild({ index: 'src/index.ts', main: 'src/main.ts' }, ['better-sqlite3']);
