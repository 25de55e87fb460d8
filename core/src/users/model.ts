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
  disabled: boolean;
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
  },
  { timestamps: true, versionKey: false },
);

export function userModel(connection: Connection) {
  return modelOn<UserDoc>(connection, 'User', userSchema, 'users');
}
