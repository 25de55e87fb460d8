import type { Connection } from 'mongoose';
import type { DeliveryDoc, DeliveryEventDoc, LogisticsModels } from './model';
import type { ProofStore } from './proofs';
import type { Place } from './types';

/** What an erased buyer is called wherever a record of them stays (as on their orders). */
export const ERASED_NAME = 'Closed account';

/**
 * Account erasure for logistics: the buyer's deliveries keep their route, codes and history, not who they
 * went to or came from. The buyer's place (the drop-off of an order, the pickup of a return) loses its
 * name and address and its point is rounded to about a kilometre; proof-of-delivery photos, taken at the
 * buyer's door, are deleted and their entries no longer name a file. Can run again.
 */
export function createLogisticsErasure(deps: {
  connection: Connection;
  models: LogisticsModels;
  proofs: ProofStore;
}) {
  const round = (x: number) => Math.round(x * 100) / 100;
  const anonymous = (place: Place): Place => ({
    ...place,
    name: ERASED_NAME,
    address: '',
    lat: round(place.lat),
    lng: round(place.lng),
  });

  /**
   * The stream writes whole documents back on FerretDB, so each write is read back and repeated if a
   * concurrent status change put the old place back.
   */
  async function anonymisePlace(id: string, side: 'pickup' | 'dropoff', place: Place): Promise<void> {
    const erased = anonymous(place);
    for (let attempt = 0; attempt < 3; attempt++) {
      await deps.models.Deliveries.updateOne({ _id: id }, { $set: { [side]: erased } });
      const after = await deps.models.Deliveries.findById(id, { [side]: 1 }).lean<DeliveryDoc>();
      if (after?.[side].name === ERASED_NAME) return;
    }
  }

  /** Deletes the proof photos of these deliveries and clears their names from the stream. */
  async function eraseProofPhotos(deliveryIds: string[]): Promise<number> {
    if (deliveryIds.length === 0) return 0;
    const filter = { deliveryId: { $in: deliveryIds }, 'proof.kind': 'photo' };
    const entries = deps.connection.collection<DeliveryEventDoc>('delivery_events');
    const files = new Set<string>();
    for (const entry of await entries.find(filter, { projection: { proof: 1 } }).toArray())
      if (entry.proof?.photo) files.add(entry.proof.photo);
    for (const file of files) await deps.proofs.remove(file);
    // Files first, then the names: a crash between the two leaves names of missing files (a 404),
    // which the next run clears; never a file nothing points to.
    await entries.updateMany(filter, { $set: { 'proof.photo': null } });
    await deps.connection
      .collection('delivery_heads')
      .updateMany(
        { _id: { $in: deliveryIds } as never, 'proof.kind': 'photo' },
        { $set: { 'proof.photo': null } },
      );
    return files.size;
  }

  return {
    async anonymiseRecipient(buyerId: string): Promise<number> {
      const docs = await deps.models.Deliveries.find(
        { buyerId },
        { _id: 1, kind: 1, method: 1, pickup: 1, dropoff: 1 },
      ).lean<Pick<DeliveryDoc, '_id' | 'kind' | 'method' | 'pickup' | 'dropoff'>[]>();
      for (const doc of docs) {
        if (doc.method !== 'courier') continue; // a pickup-point order never held the buyer's address
        const side = doc.kind === 'return' ? 'pickup' : 'dropoff';
        await anonymisePlace(doc._id, side, doc[side]);
      }
      await eraseProofPhotos(docs.map((d) => d._id));
      return docs.length;
    },
  };
}
