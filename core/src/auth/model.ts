import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';

/** A login session. `_id` is the SHA-256 of the cookie token, so a database leak does not leak sessions. */
export interface SessionDoc {
  _id: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    csrfToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    // No TTL index (FerretDB has none): the `sessions.prune` job deletes expired sessions.
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
);

export function sessionModel(connection: Connection) {
  return modelOn<SessionDoc>(connection, 'Session', sessionSchema, 'sessions');
}
