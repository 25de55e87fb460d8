/**
 * A seller's onboarding application: `draft` from registration until the seller sends their business
 * details, `submitted` while staff review it, then `approved` (the shop opens), `rejected` (final, with
 * the reason) or `changes_requested` (with a note; the seller edits and submits again).
 */
export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'changes_requested',
  'approved',
  'rejected',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const APPLICATION_DECISIONS = ['approved', 'rejected', 'changes_requested'] as const;
export type ApplicationDecision = (typeof APPLICATION_DECISIONS)[number];

/** A company (or registered business) gives its credit code; an individual seller their ID number. */
export const SELLER_KINDS = ['company', 'individual'] as const;
export type SellerKind = (typeof SELLER_KINDS)[number];

export const BUSINESS_NAME_MIN = 2;
export const BUSINESS_NAME_MAX = 100;
export const BUSINESS_ADDRESS_MIN = 5;
export const BUSINESS_ADDRESS_MAX = 200;
export const MAX_APPLICATION_CATEGORIES = 5;
export const DECISION_NOTE_MAX = 500;

export interface BusinessDetails {
  kind: SellerKind;
  /** The company's registered name, or the individual's legal name. */
  legalName: string;
  /** Unified social credit code (company) or resident identity number (individual), upper-case. */
  licenceNumber: string;
  /** Mainland mobile, 11 digits. */
  contactPhone: string;
  address: string;
  /** Categories of goods, from the category tree. */
  categoryIds: string[];
}

export interface ApplicationEvent {
  at: Date;
  by: string;
  action: 'submitted' | ApplicationDecision;
  note: string | null;
}

export interface SellerApplication {
  id: string;
  userId: string;
  shopId: string;
  status: ApplicationStatus;
  details: BusinessDetails | null;
  /** The latest rejection reason or change request, shown to the seller. */
  decisionNote: string | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  history: ApplicationEvent[];
  createdAt: Date;
  updatedAt: Date;
}
