import type { Connection } from 'mongoose';
import type { CategoryService } from '../categories';
import { type Clock, systemClock } from '../clock';
import {
  ConflictError,
  isDuplicateKeyError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../errors';
import { creditCodeProblem, mainlandMobile, residentIdProblem } from './credit-code';
import { applicationModel, type ApplicationDoc } from './model';
import {
  BUSINESS_ADDRESS_MAX,
  BUSINESS_ADDRESS_MIN,
  BUSINESS_NAME_MAX,
  BUSINESS_NAME_MIN,
  MAX_APPLICATION_CATEGORIES,
  type ApplicationDecision,
  type ApplicationStatus,
  type BusinessDetails,
  type SellerApplication,
} from './types';

const applicationId = (shopId: string) => `sap_${shopId}`;

function toApplication(doc: ApplicationDoc): SellerApplication {
  return {
    id: doc._id,
    userId: doc.userId,
    shopId: doc.shopId,
    status: doc.status,
    details: doc.details
      ? {
          kind: doc.details.kind,
          legalName: doc.details.legalName,
          licenceNumber: doc.details.licenceNumber,
          contactPhone: doc.details.contactPhone,
          address: doc.details.address,
          categoryIds: [...(doc.details.categoryIds ?? [])],
        }
      : null,
    decisionNote: doc.decisionNote ?? null,
    submittedAt: doc.submittedAt ?? null,
    decidedAt: doc.decidedAt ?? null,
    decidedBy: doc.decidedBy ?? null,
    history: (doc.history ?? []).map((h) => ({ at: h.at, by: h.by, action: h.action, note: h.note ?? null })),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** Where the seller may edit and send their details from. */
const EDITABLE: readonly ApplicationStatus[] = ['draft', 'submitted', 'changes_requested'];

export interface ApplicationChange {
  before: SellerApplication;
  after: SellerApplication;
}

/**
 * Seller onboarding applications. One writer at a time (the seller before submitting, then one member of
 * staff), so plain updates by `_id` suffice; the shop's opening is the approval flow's other step
 * (`flows/seller-approval.ts`).
 */
export function createSellerApplicationService(deps: {
  connection: Connection;
  categories: Pick<CategoryService, 'get'>;
  clock?: Clock;
}) {
  const Applications = applicationModel(deps.connection);
  const now = deps.clock ?? systemClock;

  async function load(id: string): Promise<ApplicationDoc> {
    const doc = await Applications.findById(id).lean<ApplicationDoc>();
    if (!doc) throw new NotFoundError('Seller application');
    return doc;
  }

  async function write(doc: ApplicationDoc, set: Partial<ApplicationDoc>): Promise<ApplicationChange> {
    const next = { ...set, updatedAt: now() };
    await Applications.updateOne({ _id: doc._id }, { $set: next });
    return { before: toApplication(doc), after: toApplication({ ...doc, ...next }) };
  }

  /** Normalises and checks business details; throws one ValidationError naming every bad field. */
  async function checkDetails(input: BusinessDetails): Promise<BusinessDetails> {
    const issues: FieldIssue[] = [];
    const legalName = input.legalName.trim();
    const licenceNumber = input.licenceNumber.trim().toUpperCase();
    const address = input.address.trim();
    const phone = mainlandMobile(input.contactPhone);
    if ([...legalName].length < BUSINESS_NAME_MIN || [...legalName].length > BUSINESS_NAME_MAX)
      issues.push({
        field: 'body.legalName',
        message: `${BUSINESS_NAME_MIN} to ${BUSINESS_NAME_MAX} characters`,
      });
    const licenceProblem =
      input.kind === 'company' ? creditCodeProblem(licenceNumber) : residentIdProblem(licenceNumber);
    if (licenceProblem) issues.push({ field: 'body.licenceNumber', message: licenceProblem });
    if (!phone)
      issues.push({ field: 'body.contactPhone', message: 'a mainland mobile number (11 digits, 1…)' });
    if ([...address].length < BUSINESS_ADDRESS_MIN || [...address].length > BUSINESS_ADDRESS_MAX)
      issues.push({
        field: 'body.address',
        message: `${BUSINESS_ADDRESS_MIN} to ${BUSINESS_ADDRESS_MAX} characters`,
      });
    const categoryIds = [...new Set(input.categoryIds)];
    if (!categoryIds.length || categoryIds.length > MAX_APPLICATION_CATEGORIES)
      issues.push({ field: 'body.categoryIds', message: `1 to ${MAX_APPLICATION_CATEGORIES} categories` });
    for (const [i, id] of categoryIds.entries())
      if (!(await deps.categories.get(id)))
        issues.push({ field: `body.categoryIds.${i}`, message: 'unknown category' });
    if (issues.length) throw new ValidationError(issues, 'Some business details are invalid');
    return { kind: input.kind, legalName, licenceNumber, contactPhone: phone!, address, categoryIds };
  }

  return {
    /** The draft application of a newly registered seller's shop (idempotent: an existing one is kept). */
    async open(input: { userId: string; shopId: string }): Promise<SellerApplication> {
      const at = now();
      const doc: ApplicationDoc = {
        _id: applicationId(input.shopId),
        userId: input.userId,
        shopId: input.shopId,
        status: 'draft',
        details: null,
        decisionNote: null,
        submittedAt: null,
        decidedAt: null,
        decidedBy: null,
        history: [],
        createdAt: at,
        updatedAt: at,
      };
      try {
        await Applications.create(doc);
        return toApplication(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        return toApplication(await load(doc._id));
      }
    },

    /** The undo of `open` in the registration flow. */
    async remove(shopId: string): Promise<void> {
      await Applications.deleteOne({ _id: applicationId(shopId) });
    },

    async get(id: string): Promise<SellerApplication | null> {
      const doc = await Applications.findById(id).lean<ApplicationDoc>();
      return doc ? toApplication(doc) : null;
    },

    async ofShop(shopId: string): Promise<SellerApplication | null> {
      return this.get(applicationId(shopId));
    },

    /**
     * The seller sends (or edits) their business details: a draft, a waiting application or one with
     * changes requested becomes `submitted`. Approved and rejected applications are closed (409).
     */
    async submit(
      owner: { userId: string; shopId: string },
      input: BusinessDetails,
    ): Promise<ApplicationChange> {
      const doc = await load(applicationId(owner.shopId));
      if (doc.userId !== owner.userId) throw new NotFoundError('Seller application');
      if (!EDITABLE.includes(doc.status))
        throw new ConflictError(`The application is ${doc.status} and can no longer be changed`);
      const details = await checkDetails(input);
      const at = now();
      return write(doc, {
        status: 'submitted',
        details,
        submittedAt: at,
        history: [...(doc.history ?? []), { at, by: owner.userId, action: 'submitted', note: null }],
      });
    },

    /**
     * Staff decide on a submitted application. A rejection or a change request carries its note (the
     * route requires one). Refuses anything not waiting for a decision (409).
     */
    async decide(
      id: string,
      decision: ApplicationDecision,
      by: { actorId: string; note: string | null },
    ): Promise<ApplicationChange> {
      const doc = await load(id);
      if (doc.status !== 'submitted')
        throw new ConflictError(`The application is ${doc.status}, not waiting for a decision`);
      const at = now();
      return write(doc, {
        status: decision,
        decisionNote: by.note,
        decidedAt: at,
        decidedBy: by.actorId,
        history: [...(doc.history ?? []), { at, by: by.actorId, action: decision, note: by.note }],
      });
    },

    /** The undo of a decision whose shop could not be opened: back to waiting, the decision struck. */
    async reopen(id: string, previous: SellerApplication): Promise<void> {
      const doc = await load(id);
      await write(doc, {
        status: previous.status,
        decisionNote: previous.decisionNote,
        decidedAt: previous.decidedAt,
        decidedBy: previous.decidedBy,
        history: previous.history,
      });
    },

    /**
     * A page of applications, optionally of one status, by id; `cursor` is the last id of the previous
     * page. Applications number as many as shops (thousands): FerretDB filters them in its own process.
     */
    async page(
      filter: { status?: ApplicationStatus },
      page: { limit: number; cursor?: string | null },
    ): Promise<{ items: SellerApplication[]; nextCursor: string | null }> {
      const query: Record<string, unknown> = {};
      if (filter.status) query.status = filter.status;
      if (page.cursor) query._id = { $gt: page.cursor };
      const docs = await Applications.find(query)
        .sort({ _id: 1 })
        .limit(page.limit + 1)
        .lean<ApplicationDoc[]>();
      const items = docs.slice(0, page.limit).map(toApplication);
      return { items, nextCursor: docs.length > page.limit ? items.at(-1)!.id : null };
    },
  };
}

export type SellerApplicationService = ReturnType<typeof createSellerApplicationService>;
