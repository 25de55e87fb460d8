import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../logger';
import type { Mailbox } from './mailbox';

/** Largest message the embedded server takes (ours are a few kB). */
const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())).filter(Boolean);
}

/**
 * The embedded SMTP server: `smtp-server` on a free loopback port, without authentication (it listens
 * on 127.0.0.1 only). Each message is parsed with mailparser and stored in the dev mailbox before the
 * server answers 250, so "sent" means "in the mailbox".
 */
export async function startEmbeddedSmtpServer(deps: {
  mailbox: Mailbox;
  log: Logger;
  port?: number;
}): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: MAX_MESSAGE_BYTES,
    banner: 'Bazaar embedded SMTP (dev mailbox)',
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          await deps.mailbox.store({
            messageId: parsed.messageId ?? null,
            from: addresses(parsed.from)[0] ?? session.envelope.mailFrom?.toString() ?? '',
            to: envelopeTo.length ? envelopeTo : addresses(parsed.to),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            receivedAt: new Date(),
          });
          callback();
        })
        .catch((err: unknown) => {
          deps.log.error({ err }, 'embedded SMTP: could not store a message');
          // A 4xx answer: the sender keeps the message and retries.
          callback(Object.assign(new Error('Mailbox unavailable, try again'), { responseCode: 451 }));
        });
    },
  });
  server.on('error', (err) => deps.log.error({ err }, 'embedded SMTP server error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(deps.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
