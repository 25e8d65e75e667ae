/**
 * Malformed input to the second layer: garbage policies, principal records, grants, shares,
 * root metadata and audit heads give typed errors and change nothing (the tree's digest is
 * compared before and after), and a corrupt policy fails closed (NOT_PERMITTED), never open.
 */
import { describe, expect, it } from "vitest";
import { Principal, seededRandom } from "../../../src/crypto/index.js";
import {
  AUDIT_ROOT, KeyService, PrincipalClient, ROOT_META_PATH, grantPath, policyPath, principalPath,
  verifyStoredChain,
} from "../../../src/keys/index.js";
import type { Policy } from "../../../src/keys/index.js";
import { Prng } from "../../../src/util/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";
import { ADMIN, codeOf, service, text } from "./helpers.js";

const rng = (seed: number, name: string) => seededRandom(new Prng(seed, name));

async function ready() {
  const zk = new TreeZooKeeper();
  const admin = service(zk);
  await admin.createKey("k");
  const bob = Principal.generate("bob", rng(2, "bob"));
  await admin.registerPrincipal(bob.publicPart(), { rules: [{ key: "k", ops: ["decrypt"] }] });
  await zk.create("/v", null, admin.acl, "PERSISTENT");
  await admin.createSealed("k", "/v/a", text("alpha"));
  return { zk, admin, bob };
}

describe("malformed second-layer input", () => {
  it("bad policies are refused before anything is written", async () => {
    const { zk, admin, bob } = await ready();
    const digest = zk.tree.digest();
    const bad = [{ rules: [{ key: "k", ops: ["steal"] }] }, { rules: "all" }, {},
      { rules: [{ key: "../x", ops: [] }] }] as unknown as Policy[];
    for (const policy of bad) {
      expect(await codeOf(admin.setPolicy("bob", policy))).toBe("BAD_ARGUMENT");
      expect(await codeOf(admin.registerPrincipal(
        Principal.generate("eve", rng(3, "eve")).publicPart(), policy))).toBe("BAD_ARGUMENT");
    }
    expect(await codeOf(admin.setPolicy("nobody", { rules: [] }))).toBe("NO_SUCH_PRINCIPAL");
    expect(await codeOf(admin.grant("k", "nobody"))).toBe("NO_SUCH_PRINCIPAL");
    expect(await codeOf(admin.registerPrincipal(bob.publicPart()))).toBe("BAD_ARGUMENT");
    expect(zk.tree.digest()).toBe(digest);
  });

  it("a corrupt policy in the tree fails closed", async () => {
    const { zk, admin } = await ready();
    await zk.setData(policyPath("admin"), text("{\"format\":1,\"rules\":[{\"key\":\"*\""), -1);
    const digest = zk.tree.digest();
    expect(await codeOf(admin.addVersion("k"))).toBe("NOT_PERMITTED");
    expect(await codeOf(admin.grant("k", "bob"))).toBe("NOT_PERMITTED");
    expect(await codeOf(admin.createKey("j"))).toBe("NOT_PERMITTED");
    expect(zk.tree.digest()).toBe(digest);
    await zk.setData(policyPath("bob"), text("garbage"), -1);
    await zk.setData(policyPath("admin"), text(JSON.stringify({ format: 1, rules: [
      { key: "*", ops: ["grant"] }] })), -1);
    const fixed = zk.tree.digest();
    expect(await codeOf(admin.grant("k", "bob"))).toBe("NOT_PERMITTED"); // bob's is corrupt
    expect(zk.tree.digest()).toBe(fixed);
  });

  it("a corrupt principal record, grant, root metadata or audit head is a typed error",
    async () => {
      const { zk, admin, bob } = await ready();
      await admin.grant("k", "bob");
      const client = new PrincipalClient(zk.connect(), bob, rng(4, "client"));
      expect(await client.open("/v/a")).toEqual(text("alpha"));
      const grant = (await zk.getData(grantPath("k", "bob", 1))).data ?? text("");
      for (const [bytes, code] of [[text("garbage"), "GARBAGE"], [grant.subarray(0, 40),
        "TRUNCATED"], [Uint8Array.from(grant, (b, i) => (i === grant.length - 1 ? b ^ 1 : b)),
        "NOT_AUTHENTIC"]] as const) {
        await zk.setData(grantPath("k", "bob", 1), bytes, -1);
        expect(await codeOf(client.open("/v/a"))).toBe(code);
      }
      await zk.setData(principalPath("bob"), text("{}"), -1);
      let digest = zk.tree.digest();
      expect(await codeOf(admin.grant("k", "bob"))).toBe("MALFORMED");
      expect(zk.tree.digest()).toBe(digest);
      await zk.setData(ROOT_META_PATH, text("{"), -1);
      digest = zk.tree.digest();
      const sealed = new KeyService({ zk, actor: ADMIN, random: rng(5, "s") });
      expect(await codeOf(sealed.unseal(new Uint8Array(33).fill(1)))).toBe("MALFORMED");
      await zk.setData(AUDIT_ROOT, text("[]"), -1);
      expect(await codeOf(verifyStoredChain(zk))).toBe("MALFORMED");
      expect(await codeOf(admin.revoke("k", "bob"))).toBe("MALFORMED");
    });
});
