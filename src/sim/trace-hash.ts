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
    this.laneA = foldA(this.laneA, value);
    this.laneB = foldB(this.laneB, value, this.laneA);
  }

  /**
   * Folds what every message event (deliver, drop) starts with, exactly as `word(code)`,
   * `number(timeMicros)`, `word(from)`, `word(to)`, `number(id)`, `word(copy)` would: one call
   * per message with the lanes in locals instead of six calls that each store both lanes.
   */
  envelope(code: number, timeMicros: number, from: number, to: number, id: number, copy: number):
    void {
    if (!isWholeUint53(timeMicros) || !isWholeUint53(id)) {
      this.word(code);
      this.number(timeMicros);
      this.word(from);
      this.word(to);
      this.number(id);
      this.word(copy);
      return;
    }
    let a = this.laneA;
    let b = this.laneB;
    a = foldA(a, code);
    b = foldB(b, code, a);
    a = foldA(a, timeMicros >>> 0);
    b = foldB(b, timeMicros >>> 0, a);
    a = foldA(a, Math.floor(timeMicros / TWO_POW_32));
    b = foldB(b, Math.floor(timeMicros / TWO_POW_32), a);
    a = foldA(a, from);
    b = foldB(b, from, a);
    a = foldA(a, to);
    b = foldB(b, to, a);
    a = foldA(a, id >>> 0);
    b = foldB(b, id >>> 0, a);
    a = foldA(a, Math.floor(id / TWO_POW_32));
    b = foldB(b, Math.floor(id / TWO_POW_32), a);
    a = foldA(a, copy);
    b = foldB(b, copy, a);
    this.laneA = a;
    this.laneB = b;
  }

  /** Folds a whole number up to 2^53 exactly (as two words) or any other number by its bits. */
  number(value: number): void {
    if (isWholeUint53(value)) {
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

/** Lane A after folding `value`. */
function foldA(laneA: number, value: number): number {
  return Math.imul(laneA ^ value, LANE_A_PRIME);
}

/** Lane B after folding `value`, lane A being already updated (lane A feeds lane B). */
function foldB(laneB: number, value: number, laneA: number): number {
  return Math.imul(laneB ^ value ^ (laneA >>> 15), LANE_B_PRIME);
}

/** True for the numbers `number` folds as two exact words: whole, 0 up to 2^53 - 1. */
function isWholeUint53(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}
