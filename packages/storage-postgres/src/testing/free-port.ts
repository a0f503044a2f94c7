// A free TCP port on 127.0.0.1, for a server about to start.
import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that was free a moment ago: bound to port 0, then released. Another
 * process may take it before the caller binds it; callers that start a server on it retry.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('the system gave no port');
  return address.port;
}
