import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import {
  APPLICATION_STATUSES,
  type ApplicationEvent,
  type ApplicationStatus,
  type BusinessDetails,
} from './types';

/** `_id` is `sap_<shopId>`: one application per shop, found by an `_id` lookup. */
export interface ApplicationDoc {
  _id: string;
  userId: string;
  shopId: string;
  status: ApplicationStatus;
  details: BusinessDetails | null;
  decisionNote: string | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  history: ApplicationEvent[];
  createdAt: Date;
  updatedAt: Date;
}

const detailsSchema = new Schema<BusinessDetails>(
  {
    kind: String,
    legalName: String,
    licenceNumber: String,
    contactPhone: String,
    address: String,
    categoryIds: [String],
  },
  { _id: false },
);

const eventSchema = new Schema<ApplicationEvent>(
  { at: Date, by: String, action: String, note: { type: String, default: null } },
  { _id: false },
);

const applicationSchema = new Schema<ApplicationDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    shopId: { type: String, required: true },
    status: { type: String, enum: APPLICATION_STATUSES, required: true },
    details: { type: detailsSchema, default: null },
    decisionNote: { type: String, default: null },
    submittedAt: { type: Date, default: null },
    decidedAt: { type: Date, default: null },
    decidedBy: { type: String, default: null },
    history: { type: [eventSchema], default: [] },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
applicationSchema.index({ status: 1, _id: 1 });

export function applicationModel(connection: Connection) {
  return modelOn<ApplicationDoc>(connection, 'SellerApplication', applicationSchema, 'seller_applications');
}
