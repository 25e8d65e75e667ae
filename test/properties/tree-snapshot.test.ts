/**
 * Snapshots and digests over random trees: a snapshot survives a text round trip and restores to
 * a tree with the same digest and the same snapshot; the incremental digest always equals one
 * recomputed from scratch; and two trees have equal digests exactly when they hold the same
 * nodes with the same data and stored stat (what ZooKeeper's digest covers).
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import {
  CREATE_MODE_FLAGS, OPEN_ACL_UNSAFE, decodeSnapshot, encodeSnapshot, restoreSnapshot,
  takeSnapshot, utf8Bytes,
} from "../../src/tree/index.js";
import type { CreateMode, Snapshot, WriteRequest } from "../../src/tree/index.js";
import { Harness } from "../unit/tree/helpers.js";

const PATHS = ["/a", "/b", "/a/a", "/a/b", "/b/a", "/a/a/a"];
const MODES: CreateMode[] = ["PERSISTENT", "EPHEMERAL", "PERSISTENT_SEQUENTIAL", "CONTAINER"];
const writeArb: fc.Arbitrary<[number, WriteRequest]> = fc.tuple(fc.integer({ min: 0, max: 1 }),
  fc.oneof(
    fc.record({ path: fc.constantFrom(...PATHS), mode: fc.constantFrom(...MODES),
      data: fc.constantFrom("", "x", "yy") }).map(({ path, mode, data }): WriteRequest => ({
      type: mode === "CONTAINER" ? "createContainer" : "create2", path, data: utf8Bytes(data),
      acl: OPEN_ACL_UNSAFE, flags: CREATE_MODE_FLAGS[mode] })),
    fc.record({ path: fc.constantFrom(...PATHS), data: fc.constantFrom("p", "q") }).map(
      ({ path, data }): WriteRequest => ({ type: "setData", path, data: utf8Bytes(data),
        version: -1 })),
    fc.constantFrom(...PATHS).map((path): WriteRequest => ({ type: "delete", path, version: -1 })),
    fc.constant<WriteRequest>({ type: "closeSession" }),
  ));

/** Builds a tree from writes by two sessions (a closed slot reopens). */
function build(writes: Array<[number, WriteRequest]>): Harness {
  const h = new Harness();
  const slots = [h.openSession(), h.openSession()];
  for (const [slot, request] of writes) {
    h.writeAs(slots[slot] as number, request);
    if (request.type === "closeSession") slots[slot] = h.openSession();
  }
  return h;
}

/** What ZooKeeper's digest covers: paths outside /zookeeper/, data and stored stat. */
function digestView(snapshot: Snapshot): string {
  return JSON.stringify(snapshot.nodes.filter((n) => !n.path.startsWith("/zookeeper/")).map(
    (n) => [n.path, n.data === null ? null : [...n.data], n.czxid, n.mzxid, n.pzxid, n.ctime,
      n.mtime, n.version, n.cversion, n.aversion, n.ephemeralOwner]));
}

test.prop([fc.array(writeArb, { maxLength: 40, size: "max" })], { numRuns: 200 })(
  "snapshot round trip keeps the digest and the snapshot", (writes) => {
    const h = build(writes);
    const snapshot = takeSnapshot(h.tree);
    const text = encodeSnapshot(snapshot);
    h.tree.checkInvariants();
    const restored = restoreSnapshot(decodeSnapshot(text));
    restored.checkInvariants();
    expect(restored.digest()).toBe(h.tree.digest());
    expect(encodeSnapshot(takeSnapshot(restored))).toBe(text);
    expect(restored.getEphemerals(1)).toEqual(h.tree.getEphemerals(1));
    expect(restored.getContainers()).toEqual(h.tree.getContainers());
    // Rebuilding from scratch (verifyDigest off) recomputes the same incremental sum.
    const rebuilt = restoreSnapshot({ ...snapshot, digest: -1 }, { verifyDigest: false });
    expect(rebuilt.digest()).toBe(h.tree.digest());
  });

test.prop([fc.array(writeArb, { maxLength: 25, size: "max" }),
  fc.array(writeArb, { maxLength: 25, size: "max" }), fc.boolean()], { numRuns: 300 })(
  "digests are equal iff the trees are equal", (first, second, same) => {
    const a = build(first);
    const b = build(same ? first : second);
    const equal = digestView(takeSnapshot(a.tree)) === digestView(takeSnapshot(b.tree));
    expect(a.tree.digest() === b.tree.digest()).toBe(equal);
  });
