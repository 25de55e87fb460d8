import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';

/**
 * A password reset or email verification link: `_id` is the SHA-256 of the link's token (a database
 * leak reveals no usable link). Used up by inserting `used:<_id>` into `account_link_uses` (unique), so
 * two clicks at once cannot both succeed. Expired ones are deleted by `accounts.prune`.
 */
export interface AccountLinkDoc {
  _id: string;
  purpose: 'password_reset' | 'email_verification';
  userId: string;
  /** The address the link was sent to (verification: the one it verifies). */
  email: string;
  expiresAt: Date;
  createdAt: Date;
}

const accountLinkSchema = new Schema<AccountLinkDoc>(
  {
    _id: String,
    purpose: { type: String, required: true },
    userId: { type: String, required: true },
    email: String,
    expiresAt: { type: Date, index: true },
    createdAt: Date,
  },
  { versionKey: false },
);

export interface LinkUseDoc {
  _id: string;
  at: Date;
}

const linkUseSchema = new Schema<LinkUseDoc>({ _id: String, at: Date }, { versionKey: false });

/**
 * An SMS code: `codeHash` is the SHA-256 of `<_id>:<code>`. Wrong tries are unique inserts
 * `<_id>:try:<n>` (n = 1…5) into `sms_code_marks`, the use is `<_id>:used`: no counter that concurrent
 * guesses could each read as "below five".
 */
export interface SmsCodeDoc {
  _id: string;
  phone: string;
  purpose: 'login' | 'verify_phone';
  /** The account the code is for: the phone's owner (login) or the person adding it (verify). */
  userId: string;
  codeHash: string;
  expiresAt: Date;
  createdAt: Date;
}

const smsCodeSchema = new Schema<SmsCodeDoc>(
  {
    _id: String,
    phone: String,
    purpose: String,
    userId: String,
    codeHash: String,
    expiresAt: { type: Date, index: true },
    createdAt: Date,
  },
  { versionKey: false },
);

/** The newest code per (purpose, phone) — `_id` `<purpose>:<phone>` — and throttle/try marks. */
export interface SmsPointerDoc {
  _id: string;
  codeId: string;
  at: Date;
}

const smsPointerSchema = new Schema<SmsPointerDoc>(
  { _id: String, codeId: String, at: { type: Date, index: true } },
  { versionKey: false },
);

export function accountModels(connection: Connection) {
  return {
    Links: modelOn<AccountLinkDoc>(connection, 'AccountLink', accountLinkSchema, 'account_links'),
    LinkUses: modelOn<LinkUseDoc>(connection, 'AccountLinkUse', linkUseSchema, 'account_link_uses'),
    SmsCodes: modelOn<SmsCodeDoc>(connection, 'SmsCode', smsCodeSchema, 'sms_codes'),
    /** `<purpose>:<phone>` → newest code; `<codeId>:try:<n>`, `<codeId>:used`, `throttle:…` marks. */
    SmsMarks: modelOn<SmsPointerDoc>(connection, 'SmsMark', smsPointerSchema, 'sms_code_marks'),
  };
}
