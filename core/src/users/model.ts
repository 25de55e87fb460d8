import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';
import { LOCALES, ROLES, type Locale, type Role } from './types';

export interface UserDoc {
  _id: string;
  email: string;
  name: string;
  passwordHash: string;
  roles: Role[];
  shopId: string | null;
  /** A blocked account: no login, no session (set with `blockUser`, see the auth service). */
  disabled: boolean;
  blockedReason: string | null;
  blockedBy: string | null;
  blockedAt: Date | null;
  passwordChangedAt: Date | null;
  /** The language of mails, texts and notifications: from the registration page's, then the profile. */
  locale: Locale;
  emailVerifiedAt: Date | null;
  /** The verified mobile number that logs in with an SMS code (its claim is in `user_phones`). */
  phone: string | null;
  /** The profile photo's stored key (variants are served from /media/avatars/<key>/…). */
  avatarKey: string | null;
  /** Set when the account was closed and erased: nothing personal remains. */
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    // Unique email is the invariant that makes concurrent registrations safe on both engines.
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    passwordHash: { type: String, required: true },
    roles: { type: [String], enum: ROLES, required: true },
    shopId: { type: String, default: null },
    disabled: { type: Boolean, default: false },
    blockedReason: { type: String, default: null },
    blockedBy: { type: String, default: null },
    blockedAt: { type: Date, default: null },
    passwordChangedAt: { type: Date, default: null },
    locale: { type: String, enum: LOCALES, default: 'zh' },
    emailVerifiedAt: { type: Date, default: null },
    phone: { type: String, default: null },
    avatarKey: { type: String, default: null },
    closedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);

export function userModel(connection: Connection) {
  return modelOn<UserDoc>(connection, 'User', userSchema, 'users');
}

/**
 * Who holds a login phone number: `_id` is the number, so two accounts cannot verify the same one (a
 * unique insert, like the email's index). Deleted when the number changes or the account is erased.
 */
export interface PhoneClaimDoc {
  _id: string;
  userId: string;
  at: Date;
}

const phoneClaimSchema = new Schema<PhoneClaimDoc>(
  { _id: String, userId: { type: String, required: true }, at: Date },
  { versionKey: false },
);

export function phoneClaimModel(connection: Connection) {
  return modelOn<PhoneClaimDoc>(connection, 'PhoneClaim', phoneClaimSchema, 'user_phones');
}
