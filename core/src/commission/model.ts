import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { CommissionRule } from './types';

export interface CommissionRuleDoc extends Omit<CommissionRule, 'id'> {
  _id: string;
}

const ruleSchema = new Schema<CommissionRuleDoc>(
  {
    _id: String,
    scope: { type: String, required: true },
    targetId: { type: String, default: null },
    kind: { type: String, required: true },
    rateBp: { type: Number, required: true },
    fixedFen: { type: Number, required: true },
    minFen: { type: Number, default: null },
    maxFen: { type: Number, default: null },
    activeFrom: { type: Date, default: null },
    activeTo: { type: Date, default: null },
    enabled: { type: Boolean, required: true },
    note: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

/** Commission rules: a few hundred at most, edited by admins (one writer at a time), read whole. */
export function commissionRuleModel(connection: Connection) {
  return modelOn<CommissionRuleDoc>(connection, 'CommissionRule', ruleSchema, 'commission_rules');
}
