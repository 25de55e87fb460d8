import nodemailer from 'nodemailer';
import type { MailMessage, MailTransport } from './types';

/**
 * The one real transport: nodemailer over SMTP, pooled (a few connections reused for many messages).
 * Production points it at `SMTP_URL`; the embedded default at the local server from `embedded-smtp.ts`.
 */
export function createSmtpTransport(opts: {
  url: string;
  from: string;
  maxConnections?: number;
}): MailTransport {
  const url = new URL(opts.url);
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    ...(url.username && {
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    }),
    pool: true,
    maxConnections: opts.maxConnections ?? 4,
    // A local dev server speaks plain SMTP; a remote one is upgraded with STARTTLS when it offers it.
    ignoreTLS: url.hostname === '127.0.0.1' || url.hostname === 'localhost',
    connectionTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const where = `${url.protocol}//${url.hostname}:${url.port}`;
  return {
    async send(message: MailMessage) {
      const info = await transporter.sendMail({
        from: opts.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
      });
      return { accepted: info.accepted.map(String), response: info.response };
    },
    describe: () => where,
    async close() {
      transporter.close();
    },
  };
}
