import { pino, type Logger } from 'pino';

export type { Logger };

/** Pretty, human-readable lines on a terminal; JSON lines otherwise (log shippers, CI). */
export function createLogger(level: string, name = 'marketplace'): Logger {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  return pino({
    name,
    level,
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { ignore: 'pid,hostname', translateTime: 'HH:MM:ss' },
          },
        }
      : {}),
  });
}
