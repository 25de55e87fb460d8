import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { OpsAlertKind } from './types';

/** An alert for support; `_id` names the incident, so each is raised once however often it is seen. */
export interface OpsAlertDoc {
  _id: string;
  kind: OpsAlertKind;
  deliveryId: string | null;
  orderId: string | null;
  courierId: string | null;
  paymentId: string | null;
  message: string;
  at: Date;
}

const alertSchema = new Schema<OpsAlertDoc>(
  {
    _id: String,
    kind: String,
    deliveryId: { type: String, default: null },
    orderId: { type: String, default: null },
    courierId: { type: String, default: null },
    paymentId: { type: String, default: null },
    message: String,
    at: Date,
  },
  { versionKey: false, minimize: false },
);

export function alertModel(connection: Connection) {
  return modelOn<OpsAlertDoc>(connection, 'OpsAlert', alertSchema, 'ops_alerts');
}
