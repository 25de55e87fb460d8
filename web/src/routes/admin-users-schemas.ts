import { ROLES } from '@market/core/browser';
import { z } from 'zod';
import { DateTime } from '../schemas';

/** Schemas of the admin's account actions (see one account, block, unblock). */

export const AccountAccessSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roles: z.array(z.enum(ROLES)),
    shopId: z.string().nullable(),
    phone: z.string().nullable(),
    emailVerified: z.boolean(),
    avatarUrl: z.string().nullable().describe('The profile photo, 256 px square (…/64: 64 px)'),
    blocked: z
      .object({ reason: z.string(), by: z.string().nullable(), at: DateTime })
      .nullable()
      .describe('Set while the account is blocked: it cannot log in and has no session'),
  })
  .meta({ id: 'AccountAccess' });
