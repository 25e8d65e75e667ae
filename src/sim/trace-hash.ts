/**
 * The running trace hash: a 64-bit fingerprint of everything that happened in a run, folded
 * event by event. It is two 32-bit FNV-1a-style lanes with different primes and offsets, fed
 * whole 32-bit words (not bytes) so that one event costs a handful of multiplications. It is
 * not cryptographic; it only has to change whenever the trace changes, cheaply enough to be
 * always on (see the simulation-testing notes: the hash costs about nothing).
 */
import { hexWords } from "../util/hex.js";

const LANE_A_OFFSET = 0x811c9dc5;
const LANE_B_OFFSET = 0x050c5d1f;
const LANE_A_PRIME = 0x01000193;
const LANE_B_PRIME = 0x2127599b; // an odd 32-bit constant with good bit dispersion.
const TWO_POW_32 = 2 ** 32;

/** A 64-bit running hash over numbers and strings. */
export class TraceHash {
  private laneA = LANE_A_OFFSET;
  private laneB = LANE_B_OFFSET;

  /** Folds one 32-bit word (any number is reduced to its low 32 bits). */
  word(value: number): void {
    this.laneA = Math.imul(this.laneA ^ value, LANE_A_PRIME);
    this.laneB = Math.imul(this.laneB ^ value ^ (this.laneA >>> 15), LANE_B_PRIME);
  }

  /** Folds a whole number up to 2^53 exactly (as two words) or any other number by its bits. */
  number(value: number): void {
    if (Number.isSafeInteger(value) && value >= 0) {
      this.word(value >>> 0);
      this.word(Math.floor(value / TWO_POW_32));
      return;
    }
    // Negative, fractional or huge: fold the decimal text, which is exact and rare.
    this.string(String(value));
  }

  /**
   * Folds a string's UTF-16 code units two to a word, then its length (so "ab"+"c" differs
   * from "a"+"bc"). Message renderings and txn fingerprints pass through here on every event.
   */
  string(text: string): void {
    const length = text.length;
    let i = 0;
    for (; i + 1 < length; i += 2) this.word(text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
    if (i < length) this.word(text.charCodeAt(i));
    this.word(length ^ 0x5f5f5f5f);
  }

  /** The hash as 16 lowercase hex digits. */
  hex(): string {
    return hexWords(this.laneA, this.laneB);
  }
}
