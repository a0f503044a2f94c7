/** Starting and stopping a fake's HTTP server: on 127.0.0.1, on a port the OS picks. */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** Hands every request to this listener from now on. */
  serve(listener: RequestListener): void;
  /** Stops the server and drops every socket, including those a `timeout` fault holds open. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 on a free port; requests wait for `serve`. */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    serve(listener) {
      server.on('request', listener);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
