/**
 * The ids of rows that a live update just changed, each kept for `ms` after it was flashed, so a list can
 * highlight them (`class:flash={flashes.has(row.id)}`).
 */
export class Flashes {
  ids = $state<string[]>([]);
  readonly #ms: number;

  constructor(ms: number) {
    this.#ms = ms;
  }

  flash(id: string): void {
    this.ids = [...this.ids.filter((other) => other !== id), id];
    setTimeout(() => (this.ids = this.ids.filter((other) => other !== id)), this.#ms);
  }

  has(id: string): boolean {
    return this.ids.includes(id);
  }
}
