/**
 * The two layers of access control must agree: ZooKeeper's digest ACLs on the znodes (enforced
 * by the tree, through the adapter's addAuthInfo) and the policies in the tree (enforced by the
 * key service when it grants). The property, over random assignments of ACLs and policies: a
 * principal that tries everything it can (reads every znode its connection may read, including
 * every grant path it can guess, opens every grant with its own box key, and every sealed value
 * with every key it got) obtains exactly the plaintexts whose znode ACL lets it read AND whose
 * key its policy lets it decrypt; never more. With the planted bug `grant-skips-policy` the
 * same harness finds a principal that obtains plaintext its policy forbids.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Principal, SecretKey, isCryptoError, looksSealed, openGrant, openValue, seededRandom,
  sealedHeaderOf,
} from "../../../src/crypto/index.js";
import { generateDigest } from "../../../src/tree/index.js";
import {
  KeyService, PrincipalClient, grantPath, keeperCodeOf, readBy,
} from "../../../src/keys/index.js";
import type { Acl, KeyBug } from "../../../src/keys/index.js";
import { Prng } from "../../../src/util/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";
import { ADMIN, ROOT, codeOf, text } from "./helpers.js";

const rng = (seed: number, name: string) => seededRandom(new Prng(seed, name));
const ADMIN_ACL: Acl[] = [{ perms: 31, id: { scheme: "digest", id: ADMIN.publicPart().zkDigest } }];
const IDS = ["p0", "p1", "p2", "p3"];
const VALUES = 4;

interface World {
  readonly mayRead: boolean[][]; // [principal][value]
  readonly mayDecrypt: boolean[]; // [principal]
}
const world: fc.Arbitrary<World> = fc.record({
  mayRead: fc.array(fc.array(fc.boolean(), { minLength: VALUES, maxLength: VALUES }),
    { minLength: IDS.length, maxLength: IDS.length }),
  mayDecrypt: fc.array(fc.boolean(), { minLength: IDS.length, maxLength: IDS.length }),
});

async function build(w: World, bugs: ReadonlySet<KeyBug>) {
  const zk = new TreeZooKeeper();
  await zk.addAuth("digest", ADMIN.digestAuth());
  const admin = new KeyService({ zk, root: ROOT, actor: ADMIN, random: rng(1, "svc"),
    acl: ADMIN_ACL, bugs });
  await admin.createKey("k");
  await admin.createKey("other");
  const principals = IDS.map((id, i) => Principal.generate(id, rng(10 + i, id)));
  for (const [i, p] of principals.entries()) {
    const ops = w.mayDecrypt[i] === true ? ["decrypt" as const, "encrypt" as const]
      : ["encrypt" as const];
    await admin.registerPrincipal(p.publicPart(), { rules: [{ key: "k", ops },
      { key: "other", ops: ["decrypt"] }] });
  }
  await zk.create("/app", null, ADMIN_ACL, "PERSISTENT");
  for (let v = 0; v < VALUES; v++) {
    const acl = [...ADMIN_ACL, ...principals.filter((_, i) => w.mayRead[i]?.[v] === true)
      .map((p) => readBy(p.publicPart()))];
    await admin.createSealed("k", `/app/v${v}`, text(`secret ${v}`), "PERSISTENT", acl);
  }
  for (const p of principals) {
    const code = await codeOf(admin.grant("k", p.id));
    expect(["resolved", "NOT_PERMITTED"]).toContain(code);
  }
  await admin.addVersion("k"); // current grantees get v2 as well
  return { zk, admin, principals };
}

/**
 * Everything principal `p` can read and open, by any means it has: a walk of what it may list,
 * plus every value and grant path it can guess (a parent it may not list hides no child).
 */
async function harvest(zk: TreeZooKeeper, p: Principal): Promise<Set<string>> {
  const conn = zk.connect();
  await new PrincipalClient(conn, p, rng(2, "client")).authenticate();
  const blobs = new Map<string, Uint8Array>();
  const visit = async (path: string): Promise<void> => {
    try {
      const { data } = await conn.getData(path);
      if (data !== null) blobs.set(path, data);
    } catch (error) {
      if (keeperCodeOf(error) !== "NOAUTH") throw error;
    }
    let children: string[] = [];
    try {
      children = await conn.getChildren(path);
    } catch (error) {
      if (keeperCodeOf(error) !== "NOAUTH") throw error;
    }
    for (const c of children.sort()) await visit(path === "/" ? `/${c}` : `${path}/${c}`);
  };
  await visit("/");
  const guessed = Array.from({ length: VALUES }, (_, v) => `/app/v${v}`);
  for (const path of guessed) {
    await conn.getData(path).then((r) => {
      if (r.data !== null) blobs.set(path, r.data);
    }, () => undefined);
  }
  for (const id of IDS) {
    for (const name of ["k", "other"]) {
      for (let v = 1; v <= 3; v++) {
        await conn.getData(grantPath(name, id, v)).then((r) => {
          if (r.data !== null) blobs.set(grantPath(name, id, v), r.data);
        }, () => undefined);
      }
    }
  }
  const keys: { name: string; version: number; key: SecretKey }[] = [];
  for (const [path, data] of blobs) {
    const m = /\/keys\/([^/]+)\/grants\/[^/]+@v(\d+)$/.exec(path);
    if (m === null) continue;
    try {
      keys.push({ name: m[1] ?? "", version: Number(m[2]), key: openGrant(p, m[1] ?? "",
        Number(m[2]), data) });
    } catch (error) {
      if (!isCryptoError(error)) throw error;
    }
  }
  const opened = new Set<string>();
  for (const [path, data] of blobs) {
    if (!looksSealed(data)) continue;
    const header = sealedHeaderOf(data);
    for (const k of keys.filter((k) => k.name === header.keyName)) {
      try {
        openValue({ name: k.name, decryptionKey: () => k.key }, path, data);
        opened.add(path);
      } catch (error) {
        if (!isCryptoError(error)) throw error;
      }
    }
  }
  return opened;
}

async function violations(w: World, bugs: ReadonlySet<KeyBug>): Promise<string[]> {
  const { zk, principals } = await build(w, bugs);
  const out: string[] = [];
  for (const [i, p] of principals.entries()) {
    const got = await harvest(zk, p);
    for (let v = 0; v < VALUES; v++) {
      const allowed = w.mayRead[i]?.[v] === true && w.mayDecrypt[i] === true;
      if (got.has(`/app/v${v}`) !== allowed) out.push(`${p.id} /app/v${v} ${!allowed}`);
    }
  }
  return out;
}

describe("two layers of access control", () => {
  it("a principal obtains plaintext exactly when the ACL and its policy both allow", async () => {
    await fc.assert(fc.asyncProperty(world, async (w) => {
      expect(await violations(w, new Set())).toEqual([]);
    }), { numRuns: 12 });
  });

  it("the principal's client opens what both layers allow, with typed errors otherwise",
    async () => {
      const w: World = { mayRead: [[true, false, true, true], [true, true, true, true],
        [false, false, false, false], [true, true, true, true]],
      mayDecrypt: [true, false, true, true] };
      const { zk, admin, principals } = await build(w, new Set());
      const client = async (i: number) => {
        const c = new PrincipalClient(zk.connect(), principals[i] as Principal, rng(3, "c"));
        await c.authenticate();
        return c;
      };
      expect(await (await client(0)).open("/app/v0")).toEqual(text("secret 0"));
      expect(await codeOf((await client(0)).open("/app/v1"))).toBe("NOAUTH");
      expect(await codeOf((await client(1)).open("/app/v1"))).toBe("NOT_PERMITTED");
      expect(await codeOf((await client(2)).open("/app/v0"))).toBe("NOAUTH");
      await admin.revoke("k", "p3");
      expect(await codeOf((await client(3)).open("/app/v0"))).toBe("NONODE");
      // The ZooKeeper digest id is exactly what the tree derives from the credentials.
      expect(principals[0]?.publicPart().zkDigest).toBe(generateDigest(
        principals[0]?.digestAuth() ?? ""));
    });

  it("planted bug grant-skips-policy: the harness finds plaintext a policy forbids", async () => {
    const w: World = { mayRead: IDS.map(() => [true, true, true, true]),
      mayDecrypt: [true, false, false, true] };
    expect(await violations(w, new Set())).toEqual([]);
    const found = await violations(w, new Set<KeyBug>(["grant-skips-policy"]));
    expect(found).toContain("p1 /app/v0 true");
  });
});
