import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { AuditTargetType } from './types';

/**
 * One line of the audit log. `before`/`after` are stored as JSON text: the values come from many domains
 * and may hold keys that documents cannot (a `.` or `$`, see docs/ARCHITECTURE.md), and nothing ever
 * queries inside them. `_id` sorts by time (`<ISO time>~<random>`), so a page is a range on `_id`.
 */
export interface AuditDoc {
  _id: string;
  at: Date;
  actorId: string;
  actorRoles: string[];
  action: string;
  targetType: AuditTargetType;
  targetId: string;
  before: string | null;
  after: string | null;
  reason: string | null;
}

const auditSchema = new Schema<AuditDoc>(
  {
    _id: String,
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    actorRoles: [String],
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    before: { type: String, default: null },
    after: { type: String, default: null },
    reason: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
);
// On MongoDB these serve the console's filters newest first; FerretDB 1.24 filters in its own process.
auditSchema.index({ targetType: 1, targetId: 1, _id: -1 });
auditSchema.index({ actorId: 1, _id: -1 });
auditSchema.index({ action: 1, _id: -1 });

export function auditModel(connection: Connection) {
  return modelOn<AuditDoc>(connection, 'AuditEntry', auditSchema, 'audit_log');
}
