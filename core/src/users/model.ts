import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';
import { ROLES, type Role } from './types';

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
  },
  { timestamps: true, versionKey: false },
);

export function userModel(connection: Connection) {
  return modelOn<UserDoc>(connection, 'User', userSchema, 'users');
}
