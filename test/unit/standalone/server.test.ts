/**
 * The standalone server's own duties, through its public API: zxid accounting (createSession,
 * every write including failed ones, one per multi, none for reads or dropped requests),
 * notification-before-reply order on the requester's connection, the container manager's
 * fixed-rate schedule from server start, the jute.maxbuffer drop with reconnect and watch
 * re-registration, and closeSession ending a session's watches.
 */
import { describe, expect, it } from "vitest";
import { StandaloneServer } from "../../../src/standalone/index.js";
import type { Arrival, ClientRequest } from "../../../src/standalone/index.js";
import { CREATE_MODE_FLAGS, OPEN_ACL_UNSAFE } from "../../../src/tree/index.js";
import type { CreateMode } from "../../../src/tree/index.js";

/** ZooKeeper.create's request: createContainer for CONTAINER, create2 otherwise. */
function create(path: string, mode: CreateMode = "PERSISTENT", size = 0): ClientRequest {
  const type = mode === "CONTAINER" ? "createContainer" : "create2";
  const data = size === 0 ? null : new Uint8Array(size);
  return { type, path, data, acl: OPEN_ACL_UNSAFE, flags: CREATE_MODE_FLAGS[mode] };
}

function kinds(arrivals: readonly Arrival[]): string[] {
  return arrivals.map((a) => (a.kind === "reply" ? `reply ${a.err}` : `${a.type} ${a.path}`));
}

function server(intervalMs = 60_000): StandaloneServer {
  return new StandaloneServer({ containerCheckIntervalMs: intervalMs });
}

describe("zxids", () => {
  it("gives the initial sessions 1..N and every write the next one, failed or not", () => {
    const zk = server();
    const a = zk.openSession();
    zk.openSession();
    expect(zk.lastZxid).toBe(2);
    expect(zk.submit(a, create("/x")).zxid).toBe(3);
    expect(zk.submit(a, create("/x")).err).toBe("NODEEXISTS");
    expect(zk.lastZxid).toBe(4);
    expect(zk.submit(a, { type: "exists", path: "/x", watch: false }).zxid).toBe(4);
    expect(zk.submit(a, { type: "sync", path: "/x" }).err).toBe("OK");
    expect(zk.lastZxid).toBe(4);
    const multi = zk.submit(a, { type: "multi", ops: [
      { type: "check", path: "/x", version: 0 }, { type: "delete", path: "/x", version: 0 },
    ] });
    expect(multi.err).toBe("OK");
    expect(zk.lastZxid).toBe(5);
    zk.submit(a, { type: "closeSession" });
    expect(zk.lastZxid).toBe(6);
  });

  it("takes no zxid for a request over jute.maxbuffer", () => {
    const zk = server();
    const a = zk.openSession();
    const reply = zk.submit(a, create("/big2", "PERSISTENT", 1048524));
    expect(reply).toMatchObject({ err: "CONNECTIONLOSS", reconnected: true });
    expect(zk.lastZxid).toBe(1);
    expect(zk.tree.getNode("/big2")).toBeUndefined();
  });
});

describe("notifications", () => {
  it("reach the requester before its reply and other sessions at once", () => {
    const zk = server();
    const a = zk.openSession();
    const b = zk.openSession();
    zk.submit(a, create("/w"));
    zk.submit(a, { type: "getData", path: "/w", watch: true });
    zk.submit(b, { type: "exists", path: "/w", watch: true });
    zk.takeArrivals(a);
    zk.takeArrivals(b);
    zk.submit(a, { type: "setData", path: "/w", data: null, version: -1 });
    expect(kinds(zk.takeArrivals(a))).toEqual(["NodeDataChanged /w", "reply OK"]);
    expect(kinds(zk.takeArrivals(b))).toEqual(["NodeDataChanged /w"]);
  });

  it("on close: the closing session hears its own ephemerals go, then nothing more", () => {
    const zk = server();
    const a = zk.openSession();
    zk.submit(a, create("/e", "EPHEMERAL"));
    zk.submit(a, { type: "exists", path: "/e", watch: true });
    zk.submit(a, { type: "exists", path: "/later", watch: true });
    zk.takeArrivals(a);
    zk.submit(a, { type: "closeSession" });
    expect(kinds(zk.takeArrivals(a))).toEqual(["NodeDeleted /e", "reply OK"]);
    const b = zk.openSession();
    zk.submit(b, create("/later"));
    expect(zk.takeArrivals(a)).toEqual([]);
    expect(() => zk.submit(a, { type: "sync", path: "/" })).toThrow();
  });
});

describe("container manager", () => {
  it("first runs one interval after start, then every interval, one zxid per deletion", () => {
    const zk = server(100);
    const a = zk.openSession();
    zk.submit(a, create("/c", "CONTAINER"));
    zk.submit(a, create("/c/x"));
    zk.submit(a, { type: "delete", path: "/c/x", version: -1 });
    expect(zk.lastZxid).toBe(4);
    zk.advance(99);
    expect(zk.tree.getNode("/c")).toBeDefined();
    zk.advance(1);
    expect(zk.tree.getNode("/c")).toBeUndefined();
    expect(zk.lastZxid).toBe(5);
    expect(zk.nowMicros).toBe(100_000);
  });

  it("reaps a TTL node only once more than ttl ms passed since its mtime", () => {
    const zk = server(100);
    const a = zk.openSession();
    zk.advance(50);
    zk.submit(a, { type: "createTTL", path: "/t", data: null, acl: OPEN_ACL_UNSAFE,
      flags: CREATE_MODE_FLAGS.PERSISTENT_WITH_TTL, ttl: 150 });
    zk.advance(150); // checks at 100 and 200: elapsed 50 and 150, not > 150
    expect(zk.tree.getNode("/t")).toBeDefined();
    zk.advance(100); // check at 300: elapsed 250
    expect(zk.tree.getNode("/t")).toBeUndefined();
  });
});

describe("connection loss", () => {
  it("re-registers the client's watches, which then fire as before", () => {
    const zk = server();
    const a = zk.openSession();
    const b = zk.openSession();
    zk.submit(a, create("/w"));
    zk.submit(a, { type: "getData", path: "/w", watch: true });
    zk.submit(a, { type: "exists", path: "/missing", watch: true });
    zk.submit(a, { type: "getChildren2", path: "/w", watch: true });
    zk.takeArrivals(a);
    const lost = zk.submit(a, { type: "setData", path: "/w", data: new Uint8Array(1048600),
      version: -1 });
    expect(lost.err).toBe("CONNECTIONLOSS");
    expect(kinds(zk.takeArrivals(a))).toEqual(["reply CONNECTIONLOSS"]);
    zk.submit(b, create("/missing"));
    zk.submit(b, create("/w/c"));
    zk.submit(b, { type: "setData", path: "/w", data: null, version: -1 });
    expect(kinds(zk.takeArrivals(a))).toEqual([
      "NodeCreated /missing", "NodeChildrenChanged /w", "NodeDataChanged /w",
    ]);
  });

  it("rejectOversized refuses a frame that would fit", () => {
    const zk = server();
    const a = zk.openSession();
    expect(() => zk.rejectOversized(a, 1048575)).toThrow();
    expect(zk.rejectOversized(a, 1048576).err).toBe("CONNECTIONLOSS");
  });
});
