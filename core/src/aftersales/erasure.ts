import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import type { EvidencePhotos } from './evidence';
import { afterSalesModels } from './model';

/**
 * Account erasure for after-sales: the buyer's requests stay (the refunds and returns behind them are
 * accounting) without the buyer's words or photos. The description and the notes the buyer wrote are
 * emptied — in the request, in its stream and in the open seed on the line — and the evidence photos are
 * deleted. Sellers' and support's notes stay: they are theirs. Can run again.
 */
export function createAfterSalesErasure(deps: {
  connection: Connection;
  evidence: EvidencePhotos;
  clock?: Clock;
}) {
  const { Requests } = afterSalesModels(deps.connection, deps.clock);
  const db = deps.connection;

  return {
    async anonymiseBuyer(buyerId: string): Promise<{ requests: number; photos: number }> {
      const ids = (await Requests.find({ buyerId }, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id);
      if (ids.length > 0) {
        await Requests.updateMany({ _id: { $in: ids } }, { $set: { description: '', evidenceIds: [] } });
        const buyerNotes = { requestId: { $in: ids }, actorRole: 'buyer' };
        await db.collection('aftersales_events').updateMany(buyerNotes, { $set: { note: '' } });
        await db
          .collection('aftersales_heads')
          .updateMany({ _id: { $in: ids } as never, actorRole: 'buyer' }, { $set: { note: '' } });
        const seeds = { 'seed.buyerId': buyerId };
        const blank = { 'seed.description': '', 'seed.evidenceIds': [] };
        await db.collection('aftersales_lines').updateMany(seeds, { $set: blank });
        await db.collection('aftersales_line_heads').updateMany(seeds, { $set: blank });
      }
      const photos = await deps.evidence.eraseFor(buyerId);
      return { requests: ids.length, photos };
    },
  };
}
