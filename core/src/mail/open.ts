import type { Connection } from 'mongoose';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedSmtpServer } from './embedded-smtp';
import { createMailbox, type Mailbox } from './mailbox';
import { createSmtpTransport } from './smtp-transport';
import type { MailTransport } from './types';

export interface OpenedMail {
  transport: MailTransport;
  /** The dev mailbox when mail goes to the embedded server; null with SMTP_URL. */
  mailbox: Mailbox | null;
  close(): Promise<void>;
}

/**
 * Picks the mail engine from the config, in one place: `SMTP_URL` → that server; otherwise an embedded
 * SMTP server on a loopback port whose messages land in the dev mailbox. Both go through nodemailer.
 */
export async function openMail(config: Config, connection: Connection, log: Logger): Promise<OpenedMail> {
  if (config.mail.smtpUrl) {
    const transport = createSmtpTransport({ url: config.mail.smtpUrl, from: config.mail.from });
    log.info({ smtp: transport.describe() }, 'mail goes out through SMTP_URL');
    return { transport, mailbox: null, close: () => transport.close() };
  }
  const mailbox = createMailbox({ connection });
  const server = await startEmbeddedSmtpServer({ mailbox, log });
  const transport = createSmtpTransport({ url: server.url, from: config.mail.from });
  log.info({ smtp: server.url }, 'mail goes to the embedded SMTP server (dev mailbox at /dev/mailbox)');
  return {
    transport,
    mailbox,
    async close() {
      await transport.close();
      await server.close();
    },
  };
}
