import { Redis } from 'ioredis';
import type { Logger } from '../logger';

export type { Redis };

/**
 * A Redis connection for one purpose (commands, a subscriber, the Socket.IO adapter): ioredis reconnects
 * by itself with backoff, and commands sent while it is down wait in its offline queue for up to
 * `maxRetriesPerRequest` reconnects, then fail (so a dead Redis fails requests instead of hanging them).
 */
export function openRedis(url: string, log: Logger, name: string): Redis {
  const client = new Redis(url, {
    connectionName: `market:${name}`,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) log.warn({ err: err.message, connection: name }, 'redis connection error');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info({ connection: name }, 'redis connection restored');
    down = false;
  });
  return client;
}

/** Closes a connection, waiting for pending replies when it is up and dropping it when it is not. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
