/**
 * Hex digits without `Number.prototype.toString(16)`. V8 formats a number in radix 16 quickly
 * only when it is a small integer; a 32-bit hash lane above 2^31 or a zxid above 2^32 takes the
 * slow floating-point path, about ten times the cost. Fingerprints and zxid renderings are made
 * for every event of a run, so they use these.
 */

const DIGIT_CODES = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0));

function digit(word: number, shift: number): number {
  return DIGIT_CODES[(word >>> shift) & 15] ?? 0;
}

/** Two 32-bit words as 16 lowercase hex digits, high word first (each reduced to 32 bits). */
export function hexWords(high: number, low: number): string {
  return String.fromCharCode(
    digit(high, 28), digit(high, 24), digit(high, 20), digit(high, 16),
    digit(high, 12), digit(high, 8), digit(high, 4), digit(high, 0),
    digit(low, 28), digit(low, 24), digit(low, 20), digit(low, 16),
    digit(low, 12), digit(low, 8), digit(low, 4), digit(low, 0),
  );
}

/** One 32-bit word as 8 lowercase hex digits (reduced to 32 bits). */
export function hexWord(word: number): string {
  return String.fromCharCode(
    digit(word, 28), digit(word, 24), digit(word, 20), digit(word, 16),
    digit(word, 12), digit(word, 8), digit(word, 4), digit(word, 0),
  );
}

const WORD_SPAN = 2 ** 32;

/**
 * A non-negative safe integer in lowercase hex without leading zeros, equal to
 * `value.toString(16)`: below 2^30 toString is fast; from 2^30 to 2^32 the value has exactly
 * 8 digits; above, the high part is a small integer and the low word has 8 digits. Anything
 * else (negative, fractional, unsafe) falls back to toString.
 */
export function hexOf(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0x4000_0000) return value.toString(16);
  const high = Math.floor(value / WORD_SPAN);
  const low = hexWord(value - high * WORD_SPAN);
  return high === 0 ? low : high.toString(16) + low;
}
