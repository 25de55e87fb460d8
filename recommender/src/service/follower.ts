import { dayOf, dayStart, daysFrom, DAY_MS } from './buckets';
import type { EventStore } from './store';
import type { EventPage, NodeDoc } from './types';

interface Cursor {
  seq: number;
  /** Day bucket of the page at `seq` (pages of one process only move forward in days). */
  day: string | null;
}

/**
 * Follows the pages other processes write: for each process, reads pages `seq + 1 … lastSeq` by `_id`,
 * looking only in the day buckets between the last page read and the process's latest one. A page already
 * applied by the full load (written while it scanned) is skipped by id.
 */
export class StreamFollower {
  private readonly cursors = new Map<string, Cursor>();
  /** Page ids the full load applied beyond its snapshot of `lastSeq`. */
  private readonly applied = new Set<string>();
  /** Pages that were announced but could not be found (dropped by retention, or lost). */
  missing = 0;

  constructor(
    private readonly store: EventStore,
    private readonly selfId: string,
  ) {}

  /** Positions from a snapshot of the node documents, taken before a full load scans the buckets. */
  startFrom(nodes: NodeDoc[]): void {
    this.cursors.clear();
    for (const node of nodes) this.cursors.set(node._id, { seq: node.lastSeq, day: node.lastDay });
  }

  /** Called by the full load for each page it applied; those beyond the snapshot are not applied twice. */
  noteLoaded(page: EventPage): void {
    const cursor = this.cursors.get(page.node);
    if (!cursor || page.seq > cursor.seq) this.applied.add(page._id);
  }

  position(node: string): number {
    return this.cursors.get(node)?.seq ?? 0;
  }

  /**
   * Applies every page written since the last call, process by process in page order; includes this
   * process's own pages only when asked (a rebuilt engine catching up before it replaces the live one).
   * Returns the number of pages applied.
   */
  async catchUp(
    nodes: NodeDoc[],
    apply: (page: EventPage) => void,
    opts: { includeSelf?: boolean; upTo?: Map<string, number> } = {},
  ): Promise<number> {
    let applied = 0;
    const today = dayOf(Date.now());
    for (const node of nodes) {
      if (node._id === this.selfId && !opts.includeSelf) continue;
      const cursor = this.cursors.get(node._id) ?? { seq: 0, day: null };
      const last = opts.upTo?.get(node._id) ?? node.lastSeq;
      while (cursor.seq < last) {
        const from = cursor.day ?? dayOf(node.startedAt.getTime());
        // The page's bucket lies between the last one read and the writer's latest (a day either way
        // for clocks that disagree around midnight).
        const to = node.lastDay && node.lastDay > today ? node.lastDay : today;
        const days = daysFrom(dayOf(Math.max(0, dayStart(from) - DAY_MS)), dayOf(dayStart(to) + DAY_MS));
        const page = await this.store.readPage(node._id, cursor.seq + 1, days.slice(-8));
        cursor.seq++;
        if (!page) {
          this.missing++;
          continue;
        }
        cursor.day = dayOf(page.at.getTime());
        if (this.applied.delete(page._id)) continue;
        apply(page);
        applied++;
      }
      this.cursors.set(node._id, cursor);
    }
    return applied;
  }

  /** Forgets processes that are gone (their document was removed). */
  retain(nodes: NodeDoc[]): void {
    const live = new Set(nodes.map((n) => n._id));
    for (const id of this.cursors.keys()) if (!live.has(id)) this.cursors.delete(id);
  }
}
