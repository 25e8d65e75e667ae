/**
 * Principals, grants and audit records (src/crypto/principal.ts, grant.ts, audit.ts): a grant
 * opens only for its principal, key, version and box generation; after a box rotation the old
 * grant no longer opens; libsodium (an independent implementation) opens zabsim's grants with
 * crypto_box_open_easy and verifies its audit signatures with crypto_sign_verify_detached; the
 * digest password is what ZooKeeper's digest provider hashes; the chain verifier detects a
 * missing, reordered, altered, unsigned or forked record; malformed bytes are typed errors.
 */
import sodium from "libsodium-wrappers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  GENESIS, Principal, SecretKey, auditHash, decodeAuditRecord, decodePublicPrincipal,
  encodeAuditRecord, encodePublicPrincipal, openGrant, sealGrant, verifyAuditChain,
} from "../../../src/crypto/index.js";
import type { AuditBody, AuditOp } from "../../../src/crypto/index.js";
import { parseGrant } from "../../../src/crypto/grant.js";
import { exposeKeyBytes } from "../../../src/crypto/secret-key.js";
import { exposeBoxSecret } from "../../../src/crypto/principal.js";
import { random } from "./helpers.js";

beforeAll(async () => {
  await sodium.ready;
});

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return "returned";
  } catch (e) {
    return (e as { code?: string }).code ?? `untyped ${String(e)}`;
  }
};

describe("grants", () => {
  const alice = Principal.generate("alice", random(1, "alice"));
  const bob = Principal.generate("bob", random(2, "bob"));
  const material = SecretKey.generate(random(3), "k v2");

  it("opens only for its principal, key and version; relabelling or tampering fails", () => {
    const grant = sealGrant(alice.publicPart(), "k", 2, material, random(4));
    expect(exposeKeyBytes(openGrant(alice, "k", 2, grant))).toEqual(exposeKeyBytes(material));
    expect(codeOf(() => openGrant(bob, "k", 2, grant))).toBe("WRONG_KEY");
    expect(codeOf(() => openGrant(alice, "k", 1, grant))).toBe("WRONG_KEY");
    expect(codeOf(() => openGrant(alice, "j", 2, grant))).toBe("WRONG_KEY");
    const relabelled = Uint8Array.from(grant);
    relabelled[relabelled.indexOf(0x6b, 10)] = 0x6a; // "k" -> "j" in the cleartext header
    expect(codeOf(() => openGrant(alice, "j", 2, relabelled))).toBe("NOT_AUTHENTIC");
    for (let i = 0; i < grant.length; i += 7) {
      const flipped = Uint8Array.from(grant);
      flipped[i] = (flipped[i] ?? 0) ^ 0x10;
      expect(["GARBAGE", "UNSUPPORTED_FORMAT", "MALFORMED", "WRONG_KEY", "NOT_AUTHENTIC",
        "TRUNCATED"]).toContain(codeOf(() => openGrant(alice, "k", 2, flipped)));
    }
    for (let cut = 0; cut < grant.length; cut += 9) {
      expect(codeOf(() => openGrant(alice, "k", 2, grant.subarray(0, cut)))).toMatch(
        /^(TRUNCATED|GARBAGE|MALFORMED)$/);
    }
  });

  it("a rotated box key no longer opens grants sealed to the old one", () => {
    const carol = Principal.generate("carol", random(5, "carol"));
    const grant = sealGrant(carol.publicPart(), "k", 1, material, random(6));
    const old = exposeBoxSecret(carol);
    const oldCopy = Uint8Array.from(old);
    carol.rotateBox(random(7));
    expect(carol.boxGeneration).toBe(2);
    expect(old.every((b) => b === 0)).toBe(true); // the old private key was wiped
    expect(codeOf(() => openGrant(carol, "k", 1, grant))).toBe("WRONG_KEY");
    const header = parseGrant(grant);
    expect(() => sodium.crypto_box_open_easy(header.box, header.nonce, header.sender,
      exposeBoxSecret(carol))).toThrow();
    // The old private key (kept here only by the test) still opens it: that is why it is wiped.
    expect(sodium.crypto_box_open_easy(header.box, header.nonce, header.sender, oldCopy)
      .subarray(header.headerBytes.length)).toEqual(exposeKeyBytes(material));
  });

  it("libsodium's crypto_box_open_easy opens zabsim's grant", () => {
    const grant = sealGrant(bob.publicPart(), "payments", 7, material, random(8));
    const parts = parseGrant(grant);
    const inner = sodium.crypto_box_open_easy(parts.box, parts.nonce, parts.sender,
      exposeBoxSecret(bob));
    expect(inner.subarray(0, parts.headerBytes.length)).toEqual(parts.headerBytes);
    expect(inner.subarray(parts.headerBytes.length)).toEqual(exposeKeyBytes(material));
  });

  it("principal records round-trip; malformed ones are typed errors; keys never print", () => {
    const record = encodePublicPrincipal(alice.publicPart());
    expect(decodePublicPrincipal("alice", record)).toEqual(alice.publicPart());
    expect(codeOf(() => decodePublicPrincipal("bob", record))).toBe("MALFORMED");
    expect(codeOf(() => decodePublicPrincipal("alice", new TextEncoder().encode("{")))).toBe(
      "MALFORMED");
    expect(codeOf(() => decodePublicPrincipal("alice", null))).toBe("MALFORMED");
    expect(`${alice} ${JSON.stringify({ alice })}`)
      .toBe('[principal alice] {"alice":"[principal alice]"}');
  });

  it("the digest credential is id:HKDF password, stable, distinct per principal", () => {
    const auth = alice.digestAuth();
    expect(auth).toMatch(/^alice:[0-9a-f]{64}$/);
    expect(alice.digestAuth()).toBe(auth);
    expect(bob.digestAuth().slice(4)).not.toBe(auth.slice(6));
  });
});

function chain(signer: Principal, count: number, unsigned = false): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= count; seq++) {
    const body: AuditBody = { seq, prev, actor: signer.id, op: "grant" as AuditOp, key: "k",
      version: seq, subject: "bob" };
    const record = encodeAuditRecord(body, unsigned ? undefined : signer);
    out.push(record);
    prev = auditHash(record);
  }
  return out;
}

describe("audit chain", () => {
  const admin = Principal.generate("admin", random(9, "admin"));
  const keys = (id: string) => (id === "admin" ? admin.publicPart().signPublic : undefined);
  const records = chain(admin, 6);
  const head = { seq: 6, hash: auditHash(records[5] ?? new Uint8Array()) };
  const problem = (rs: Uint8Array[], h = head) => {
    const verdict = verifyAuditChain(rs, h, keys);
    return verdict.ok ? "ok" : verdict.problem;
  };

  it("verifies an intact chain, and libsodium verifies its signatures", () => {
    expect(problem(records)).toBe("ok");
    for (const record of records) {
      const { body, sig } = decodeAuditRecord(record);
      const signed = new TextEncoder().encode(JSON.stringify([body.seq, body.prev, body.actor,
        body.op, body.key ?? null, body.version ?? null, body.subject ?? null,
        body.detail ?? null]));
      expect(sodium.crypto_sign_verify_detached(Buffer.from(sig, "hex"), signed,
        admin.publicPart().signPublic)).toBe(true);
    }
  });

  it("detects a missing, reordered, altered, unsigned or forked record", () => {
    expect(problem([...records.slice(0, 2), ...records.slice(3)])).toBe("missing");
    expect(problem(records.slice(0, 5))).toBe("missing"); // truncated tail: the head says 6
    const swapped = records.slice();
    [swapped[2], swapped[3]] = [records[3] ?? new Uint8Array(), records[2] ?? new Uint8Array()];
    expect(problem(swapped)).toBe("missing");
    expect(problem([...records.slice(0, 3), records[1] ?? new Uint8Array(),
      ...records.slice(3)])).toBe("reordered");
    const altered = records.slice();
    altered[2] = new TextEncoder().encode(new TextDecoder().decode(records[2]).replace(
      '"version":3', '"version":4'));
    expect(problem(altered)).toBe("bad-signature");
    expect(problem(chain(admin, 6, true), head)).toBe("unsigned");
    const fork = encodeAuditRecord({ seq: 3, prev: auditHash(records[1] ?? new Uint8Array()),
      actor: "admin", op: "revoke", key: "k", subject: "eve" }, admin);
    expect(problem([...records.slice(0, 3), fork, ...records.slice(3)])).toBe("fork");
    const resigned = encodeAuditRecord({ seq: 3, prev: GENESIS, actor: "admin", op: "grant" },
      admin);
    expect(problem([...records.slice(0, 2), resigned, ...records.slice(3)])).toBe("broken-link");
    expect(problem(records, { seq: 6, hash: GENESIS })).toBe("head-mismatch");
    expect(problem([new TextEncoder().encode("{}")], head)).toBe("malformed");
    const stranger = Principal.generate("eve", random(10));
    expect(problem(chain(stranger, 1), { seq: 1, hash: auditHash(chain(stranger, 1)[0] ??
      new Uint8Array()) })).toBe("unknown-signer");
  });
});
