/**
 * The key service against a naive model, under crashes. Random sequences of writes of sealed
 * values, reads, rotations (add, promote), minimum changes, destroys and rewraps run over the
 * real tree, and any command's first write may fail with CONNECTIONLOSS before it reaches the
 * tree (nothing happened) or after it was applied (the reply was lost). The model knows which,
 * so it stays exact. After every command: the stored keyring keeps its invariants and equals the
 * model's; every value reads back as the model's plaintext while its version may decrypt, and
 * as a typed VERSION_BELOW_MINIMUM / VERSION_DESTROYED error afterwards: never wrong plaintext.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addVersion, destroyVersion, keyringProblem, newKeyring, promote, sealedHeaderOf,
  setMinDecryption,
} from "../../../src/crypto/index.js";
import type { KeyringMeta } from "../../../src/crypto/index.js";
import type { KeyService } from "../../../src/keys/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";
import type { FaultPoint } from "../../helpers/tree-zk.js";
import { codeOf, service, text } from "./helpers.js";

type Command =
  | { readonly type: "write"; readonly slot: number; readonly plain: string }
  | { readonly type: "add" | "rewrap" }
  | { readonly type: "promote" | "min" | "destroy"; readonly version: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant("write" as const), slot: fc.nat(5),
    plain: fc.string({ maxLength: 12 }) }), weight: 3 },
  { arbitrary: fc.constant({ type: "add" } as const), weight: 2 },
  fc.constant({ type: "rewrap" } as const),
  { arbitrary: fc.record({ type: fc.constantFrom("promote" as const, "min" as const,
    "destroy" as const), version: fc.integer({ min: 1, max: 3 }) }), weight: 4 },
);
const fault = fc.constantFrom<FaultPoint | "none">("none", "none", "none", "before", "after");

/** The model's next keyring for an admin command, or "error" when the rules refuse it. */
function modelMeta(meta: KeyringMeta, c: Command): KeyringMeta | "error" {
  try {
    switch (c.type) {
      case "add": return addVersion(meta);
      case "promote": return promote(meta, c.version);
      case "min": return setMinDecryption(meta, c.version);
      case "destroy": return destroyVersion(meta, c.version);
      default: return meta;
    }
  } catch {
    return "error";
  }
}

async function run(admin: KeyService, c: Command): Promise<void> {
  switch (c.type) {
    case "write": {
      await admin.setSealed("k", `/v/s${c.slot}`, text(c.plain));
      return;
    }
    case "add": await admin.addVersion("k"); return;
    case "promote": await admin.promote("k", c.version); return;
    case "min": await admin.setMinDecryptionVersion("k", c.version); return;
    case "destroy": await admin.destroyVersion("k", c.version); return;
    case "rewrap": await admin.rewrap("k", "/v", { batchSize: 2 }); return;
  }
}

async function checkReads(zk: TreeZooKeeper, admin: KeyService, meta: KeyringMeta,
  values: ReadonlyMap<number, string>): Promise<void> {
  for (const [slot, plain] of values) {
    const path = `/v/s${slot}`;
    const version = sealedHeaderOf((await zk.getData(path)).data ?? text("")).keyVersion;
    const destroyed = meta.versions[version - 1] === "destroyed";
    if (destroyed) {
      expect(await codeOf(admin.getSealed(path))).toBe("VERSION_DESTROYED");
    } else if (version < meta.minDecryption) {
      expect(await codeOf(admin.getSealed(path))).toBe("VERSION_BELOW_MINIMUM");
    } else {
      expect(new TextDecoder().decode((await admin.getSealed(path)).plaintext)).toBe(plain);
    }
  }
}

describe("key service against a model, with crashes", () => {
  it("keeps the keyring and every value exactly as the model says", async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(command, fault), { minLength: 10, maxLength: 30 }),
      async (steps) => {
        const zk = new TreeZooKeeper();
        const admin = service(zk, 11);
        await admin.createKey("k");
        await zk.create("/v", null, [{ perms: 31, id: { scheme: "world", id: "anyone" } }],
          "PERSISTENT");
        for (let slot = 0; slot < 6; slot++) await zk.create(`/v/s${slot}`, null,
          [{ perms: 31, id: { scheme: "world", id: "anyone" } }], "PERSISTENT");
        let meta = newKeyring("k");
        const values = new Map<number, string>();
        for (const [c, point] of steps) {
          const expected = modelMeta(meta, c);
          let wrote = false;
          zk.fault = () => {
            wrote = true;
            zk.fault = undefined;
            return point === "none" ? undefined : point;
          };
          const code = await codeOf(run(admin, c));
          zk.fault = undefined;
          const applied = code === "resolved" || (code === "CONNECTIONLOSS" && point === "after");
          if (code === "CONNECTIONLOSS") expect(wrote && point !== "none").toBe(true);
          else if (code !== "resolved") expect(expected === "error" || c.type === "write").toBe(true);
          if (applied && expected !== "error") meta = expected;
          if (applied && c.type === "write") values.set(c.slot, c.plain);
          const stored = await admin.describe("k");
          expect(keyringProblem(stored)).toBeUndefined();
          expect(stored).toEqual(meta);
          await checkReads(zk, admin, meta, values);
        }
      }), { numRuns: 100 });
  });
});
