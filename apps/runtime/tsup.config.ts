import { defineConfig, type Options } from 'tsup';
import { definePackageBuild } from '../../tsup.shared.js';

const server = definePackageBuild({ index: 'src/index.ts', main: 'src/main.ts' }) as Options;

/** The try-it pages: three small browser bundles and their static files, served from dist/web. */
const web: Options = {
  entry: {
    chat: 'web/src/chat-page.ts',
    console: 'web/src/console-page.ts',
    settings: 'web/src/settings-page.ts',
  },
  outDir: 'dist/web',
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  clean: true,
  dts: false,
  publicDir: 'web/public',
  tsconfig: 'web/tsconfig.json',
};

// The server build cleans dist/ but leaves dist/web to the page build, which runs alongside.
export default defineConfig([{ ...server, clean: ['!web/**'] }, web]);
