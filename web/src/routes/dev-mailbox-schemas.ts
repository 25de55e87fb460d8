import { z } from 'zod';

/** The dev mailbox's wire shapes (browser-safe: zod only). */
export const DevMailSchema = z
  .object({
    id: z.string(),
    messageId: z.string().nullable(),
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable(),
    receivedAt: z.iso.datetime(),
  })
  .meta({ id: 'DevMail' });

export const DevSmsSchema = z
  .object({ id: z.string(), to: z.string(), text: z.string(), key: z.string(), sentAt: z.iso.datetime() })
  .meta({ id: 'DevSms' });

export const DevMailListSchema = z.object({ items: z.array(DevMailSchema) }).meta({ id: 'DevMailList' });
export const DevSmsListSchema = z.object({ items: z.array(DevSmsSchema) }).meta({ id: 'DevSmsList' });
