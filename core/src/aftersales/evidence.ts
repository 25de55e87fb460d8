import { rm } from 'node:fs/promises';
import type { Connection } from 'mongoose';
import { type Clock, systemClock } from '../clock';
import { ForbiddenError, NotFoundError, PayloadTooLargeError, ValidationError } from '../errors';
import { newId } from '../ids';
import { sha256Of, type PhotoStore, type VariantFile } from '../photos';
import { afterSalesModels, type EvidenceDoc } from './model';

/**
 * Decodes an evidence photo safely and renders it (`@market/vision`'s `createEvidenceImager`): the port
 * keeps core free of sharp. No verdict: evidence is for the seller and support, never shown to shoppers.
 */
export interface EvidenceImager {
  render(
    content: Buffer,
  ): Promise<
    { ok: true; width: number; height: number; files: VariantFile[] } | { ok: false; message: string }
  >;
}

export const EVIDENCE_SIZES = ['thumb', 'large'] as const;
export type EvidenceSize = (typeof EVIDENCE_SIZES)[number];
/** At most this many photos per request. */
export const EVIDENCE_PER_REQUEST = 6;

/**
 * Evidence photos: uploaded by a buyer before opening a request, then attached to it. The files are
 * renderings of the decoded pixels only (no EXIF or GPS), named by content; who may load one is checked
 * on every request for it (the uploader, and once attached the order's seller and support).
 */
export function createEvidencePhotos(deps: {
  connection: Connection;
  store: PhotoStore;
  imager: EvidenceImager | null;
  maxBytes: number;
  clock?: Clock;
}) {
  const { Evidence } = afterSalesModels(deps.connection, deps.clock);
  const now = deps.clock ?? systemClock;

  return {
    async upload(
      ownerId: string,
      file: { content: Buffer },
    ): Promise<{ id: string; thumbUrl: string; largeUrl: string }> {
      if (!deps.imager)
        throw new ValidationError([{ field: 'file', message: 'photo uploads are off on this node' }]);
      if (file.content.length === 0)
        throw new ValidationError([{ field: 'file', message: 'the file is empty' }], 'The file is empty');
      if (file.content.length > deps.maxBytes)
        throw new PayloadTooLargeError(`The photo is larger than ${deps.maxBytes} bytes`, {
          fields: [{ field: 'file', message: `at most ${deps.maxBytes} bytes` }],
        });
      const rendered = await deps.imager.render(file.content);
      if (!rendered.ok)
        throw new ValidationError([{ field: 'file', message: rendered.message }], rendered.message);
      const key = `ev-${sha256Of(file.content)}`;
      for (const f of rendered.files) await deps.store.putVariant(key, f.size, f.format, f.data);
      const doc: EvidenceDoc = {
        _id: newId('evp'),
        ownerId,
        requestId: null,
        sellerId: null,
        key,
        width: rendered.width,
        height: rendered.height,
        bytes: file.content.length,
        createdAt: now(),
      };
      await Evidence.create(doc);
      return this.urls(doc._id);
    },

    urls(id: string) {
      return {
        id,
        thumbUrl: `/api/aftersales/evidence/${id}/thumb`,
        largeUrl: `/api/aftersales/evidence/${id}/large`,
      };
    },

    /** The photos are the buyer's own and not yet attached to another request. */
    async checkOwned(ids: string[], ownerId: string): Promise<void> {
      if (ids.length > EVIDENCE_PER_REQUEST)
        throw new ValidationError([
          { field: 'body.evidenceIds', message: `at most ${EVIDENCE_PER_REQUEST} photos` },
        ]);
      const docs = await Evidence.find({ _id: { $in: ids } }).lean<EvidenceDoc[]>();
      for (const [i, id] of ids.entries()) {
        const doc = docs.find((d) => d._id === id);
        if (!doc || doc.ownerId !== ownerId || doc.requestId)
          throw new ValidationError([
            { field: `body.evidenceIds.${i}`, message: 'not a photo you uploaded for this request' },
          ]);
      }
    },

    /** Attaches the photos to the request (one writer: the request's opening). */
    async attach(ids: string[], ownerId: string, requestId: string, sellerId: string): Promise<void> {
      if (ids.length)
        await Evidence.updateMany({ _id: { $in: ids }, ownerId }, { $set: { requestId, sellerId } });
    },

    /**
     * Account erasure: the person's photos go, documents and files. Files are named by content, so a
     * file another person's photo also uses stays. Can run again.
     */
    async eraseFor(ownerId: string): Promise<number> {
      const docs = await Evidence.find({ ownerId }, { key: 1 }).lean<Pick<EvidenceDoc, '_id' | 'key'>[]>();
      await Evidence.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
      for (const key of new Set(docs.map((d) => d.key))) {
        if (await Evidence.exists({ key })) continue;
        for (const size of EVIDENCE_SIZES)
          await rm(deps.store.variantPath(key, size, 'jpeg'), { force: true });
      }
      return docs.length;
    },

    /** The file of a photo `viewer` may see; 404 for anyone else (nothing said about its existence). */
    async file(
      viewer: { id: string; roles: readonly string[] },
      id: string,
      size: EvidenceSize,
    ): Promise<string> {
      const doc = await Evidence.findById(id).lean<EvidenceDoc>();
      const staff = viewer.roles.includes('support') || viewer.roles.includes('admin');
      if (!doc) throw new NotFoundError('Photo');
      const allowed =
        doc.ownerId === viewer.id || (doc.requestId !== null && (staff || doc.sellerId === viewer.id));
      if (!allowed) throw new NotFoundError('Photo');
      if (!(EVIDENCE_SIZES as readonly string[]).includes(size)) throw new ForbiddenError('No such size');
      return deps.store.variantPath(doc.key, size, 'jpeg');
    },
  };
}

export type EvidencePhotos = ReturnType<typeof createEvidencePhotos>;
