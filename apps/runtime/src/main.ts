#!/usr/bin/env node
import { startFromCommandLine } from './start-runtime.js';

const started = await startFromCommandLine(process.argv.slice(2), {
  log: (text) => console.log(text),
  error: (text) => console.error(text),
});
if ('exitCode' in started) {
  process.exit(started.exitCode);
} else {
  const { runtime } = started;
  const shutdown = (signal: string) => {
    runtime.app.log.info({ signal }, 'shutting down');
    runtime.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
