import { createServer } from 'node:net';

/**
 * `n` distinct TCP ports on 127.0.0.1 that nothing listens on now (the OS picks them). All are
 * held open until each is known: a port closed at once may be handed out again by the next
 * ask (a broker's two listeners once got the same port).
 */
export async function freePorts(n) {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
