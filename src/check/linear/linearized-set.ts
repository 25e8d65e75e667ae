/**
 * The set of operations a search configuration has linearized, with a compact key for Lowe's
 * memo. Porcupine clones a whole bitset into every cache entry (n/64 words each), which for a
 * 100k-operation partition costs 12 KB per entry. Here the key is what varies: operations are
 * numbered in call order, and every completed operation below `first` is linearized (an
 * operation can only be linearized once it has been called, and one that completed must be
 * linearized before anything called after its return), so a set is
 *   (first, the unknown-outcome operations below first still pending, those above first done).
 * Both lists stay as short as the history's concurrency, plus the unknown operations that never
 * took effect.
 */

/** A mutable set of operation ids 0..n-1 with an exact, compact key. */
export class LinearizedSet {
  private readonly bits: Uint8Array;
  /** The lowest id of a completed operation not in the set (n when there is none). */
  private first = 0;
  /** Unknown-outcome ids below `first` not in the set, ascending. */
  private holes: number[] = [];
  private holesText: string | null = "";
  private count = 0;

  /** `unknown[id]` is true for an operation whose outcome is unknown (it may never apply). */
  constructor(private readonly unknown: Uint8Array) {
    this.bits = new Uint8Array(unknown.length);
    this.advance();
  }

  has(id: number): boolean {
    return this.bits[id] === 1;
  }

  add(id: number): void {
    this.bits[id] = 1;
    this.count += 1;
    if (id < this.first) {
      this.holes.splice(this.holes.indexOf(id), 1);
      this.holesText = null;
    } else if (id === this.first) {
      this.advance();
    }
  }

  delete(id: number): void {
    this.bits[id] = 0;
    this.count -= 1;
    if (id >= this.first) return;
    if (this.unknown[id] === 1) {
      let at = this.holes.length;
      while (at > 0 && (this.holes[at - 1] ?? 0) > id) at -= 1;
      this.holes.splice(at, 0, id);
    } else {
      this.first = id;
      while (this.holes.length > 0 && (this.holes[this.holes.length - 1] ?? 0) > id) {
        this.holes.pop();
      }
    }
    this.holesText = null;
  }

  /** Equal keys iff equal sets. */
  key(): string {
    if (this.holesText === null) this.holesText = this.holes.join(",");
    let above = this.count - (this.first - this.holes.length);
    let text = `${this.first}|${this.holesText}|`;
    for (let id = this.first + 1; above > 0; id += 1) {
      if (this.bits[id] === 1) {
        text += `${id},`;
        above -= 1;
      }
    }
    return text;
  }

  private advance(): void {
    const n = this.bits.length;
    while (this.first < n) {
      const id = this.first;
      if (this.bits[id] === 0) {
        if (this.unknown[id] === 0) break;
        this.holes.push(id);
        this.holesText = null;
      }
      this.first += 1;
    }
  }
}
