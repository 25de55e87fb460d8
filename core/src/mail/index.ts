export type { MailMessage, MailTransport, MailboxMessage } from './types';
export { createMailbox, type Mailbox } from './mailbox';
export { createSmtpTransport } from './smtp-transport';
export { startEmbeddedSmtpServer } from './embedded-smtp';
export { openMail, type OpenedMail } from './open';
