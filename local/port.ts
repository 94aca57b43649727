import { createServer } from 'node:net';

/** Raised when the port the local server should listen on cannot be taken; the message says what to do. */
export class PortUnavailableError extends Error {
  override name = 'PortUnavailableError';
}

/**
 * Checks that `port` on `host` can be listened on, before anything slower
 * (DynamoDB Local, seeding) starts. Port 0 (any free port) always can.
 */
export function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      const other = port === 3000 ? 8080 : port + 1;
      const choose = `choose another with "npm start -- --port ${other}" or "PORT=${other} npm start"`;
      if (error.code === 'EADDRINUSE') {
        reject(
          new PortUnavailableError(
            `port ${port} is already in use on ${host} (another Newswire?); ${choose}`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(new PortUnavailableError(`no permission to listen on ${where}; ${choose}`));
      } else if (error.code === 'EADDRNOTAVAIL') {
        reject(new PortUnavailableError(`${host} is not an address of this machine; use --host 127.0.0.1`));
      } else {
        reject(new PortUnavailableError(`cannot listen on ${where}: ${error.message}`));
      }
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
