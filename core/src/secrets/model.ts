import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';

/** One generated secret; `_id` names it, so the first process to create it wins and the rest read it. */
export interface SecretDoc {
  _id: string;
  value: string;
  createdAt: Date;
}

const secretSchema = new Schema<SecretDoc>(
  { _id: String, value: { type: String, required: true }, createdAt: { type: Date, required: true } },
  { versionKey: false },
);

export function secretModel(connection: Connection) {
  return modelOn<SecretDoc>(connection, 'Secret', secretSchema, 'secrets');
}
