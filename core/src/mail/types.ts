/** One email as the marketplace sends it: rendered text and HTML, and a Message-ID it chose. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * `<…@…>`, derived from what the mail is about (a notification id, a reset id), so a retry after a
   * crash between "sent" and "recorded as sent" carries the same id and a receiver can drop the copy.
   */
  messageId: string;
}

/**
 * The mail port. `send` resolves once the SMTP server accepted the message (250 after DATA) and rejects
 * otherwise; the caller (a job) retries. Production: nodemailer over `SMTP_URL`. Embedded default: the
 * same nodemailer client talking SMTP to a server this process starts on a loopback port, which files
 * what it receives in the dev mailbox (`mailbox.ts`). There is no in-memory transport.
 */
export interface MailTransport {
  send(message: MailMessage): Promise<{ accepted: string[]; response: string }>;
  /** Where mail goes, for logs and the readiness page (never with credentials). */
  describe(): string;
  close(): Promise<void>;
}

/** A message the embedded SMTP server received, as the dev mailbox shows it. */
export interface MailboxMessage {
  id: string;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  receivedAt: Date;
}
