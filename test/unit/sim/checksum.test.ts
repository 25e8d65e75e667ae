/**
 * Record checksums: crc32 equals zlib's CRC-32 of the string's UTF-16LE bytes; a sealed record
 * opens to its payload; any single flipped bit or any strict prefix (a torn write) is rejected.
 */
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { crc32, openRecord, sealRecord } from "../../../src/sim/checksum.js";

describe("checksum", () => {
  test.prop([fc.string({ unit: "binary", maxLength: 200 })])("crc32 is zlib's CRC-32", (text) => {
    expect(crc32(text)).toBe(zlibCrc32(Buffer.from(text, "utf16le")));
  });

  test.prop([fc.string({ maxLength: 100 })])("a sealed record opens to its payload", (text) => {
    expect(openRecord(sealRecord(text))).toBe(text);
  });

  test.prop([fc.string({ maxLength: 100 }), fc.nat(), fc.integer({ min: 0, max: 15 })])(
    "a flipped bit anywhere is detected",
    (text, where, bit) => {
      const sealed = sealRecord(text);
      const position = where % sealed.length;
      const flipped = String.fromCharCode(sealed.charCodeAt(position) ^ (1 << bit));
      const damaged = sealed.slice(0, position) + flipped + sealed.slice(position + 1);
      expect(openRecord(damaged)).toBeUndefined();
    },
  );

  test.prop([fc.string({ minLength: 1, maxLength: 100 }), fc.nat()])(
    "a torn (strict prefix) record is detected",
    (text, cut) => {
      const sealed = sealRecord(text);
      expect(openRecord(sealed.slice(0, cut % sealed.length))).toBeUndefined();
    },
  );
});
