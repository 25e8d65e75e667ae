/**
 * The promise API (src/client/api.ts) over the pure session, with the test playing host and
 * server: arguments the Java client refuses reject with typed KeeperErrors and send nothing;
 * creates travel with the opcode and flag of their mode; replies settle promises with
 * ZooKeeper's codes (exists turns NONODE into null, a failed multi carries every result);
 * watchers run synchronously when their notification is delivered; close never fails and
 * every later call gets SESSIONEXPIRED.
 */
import { describe, expect, it } from "vitest";
import type { ClientEffect, ClientPacket, ServerPacket, WatchedEvent }
  from "../../../src/client/index.js";
import { KeeperError, Ops, ZooKeeper } from "../../../src/client/index.js";
import { Prng } from "../../../src/util/index.js";

class FakeHost {
  now = 5_000_000;
  readonly packets: ClientPacket[] = [];
  connection = 0;
  perform(effects: readonly ClientEffect[]): void {
    for (const effect of effects) {
      if (effect.kind === "connect") this.connection = effect.connection;
      if (effect.kind === "send") this.packets.push(effect.packet);
    }
  }
}

function connected(watcher?: (event: WatchedEvent) => void): { zk: ZooKeeper; host: FakeHost;
  answer: (packet: ServerPacket) => void; } {
  const host = new FakeHost();
  const zk = new ZooKeeper({ servers: [1, 2, 3], sessionTimeoutMs: 10000,
    prng: new Prng(3, "api"), watcher }, { now: () => host.now, perform: (e) => host.perform(e) });
  const answer = (packet: ServerPacket): void =>
    zk.deliver({ kind: "receive", now: host.now, connection: host.connection, packet });
  answer({ type: "connected", sessionId: 0x42, timeoutMs: 10000 });
  host.packets.length = 0;
  return { zk, host, answer };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    expect(error).toBeInstanceOf(KeeperError);
    return (error as KeeperError).code;
  }
}

describe("argument validation", () => {
  it("rejects what the Java client refuses, sending nothing", async () => {
    const { zk, host } = connected();
    expect(await codeOf(zk.create("no-slash", "x"))).toBe("BADARGUMENTS");
    // validatePath(path + "1"): "/a/" is a fine sequential prefix, "/a//" is not.
    expect(await codeOf(zk.create("/a//", "x", undefined, "PERSISTENT_SEQUENTIAL")))
      .toBe("BADARGUMENTS");
    expect(await codeOf(zk.create("/a", "x", undefined, "NOPE" as never))).toBe("BADARGUMENTS");
    expect(await codeOf(zk.create("/a", "x", undefined, "PERSISTENT", 5))).toBe("BADARGUMENTS");
    expect(await codeOf(zk.create("/a", "x", undefined, "PERSISTENT_WITH_TTL", -1)))
      .toBe("BADARGUMENTS");
    expect(await codeOf(zk.create("/a", "x", []))).toBe("INVALIDACL");
    expect(await codeOf(zk.setData("/a", "x", 1.5))).toBe("BADARGUMENTS");
    expect(await codeOf(zk.getData("/a/../b"))).toBe("BADARGUMENTS");
    expect(await codeOf(zk.addWatch("/a", true, "ONCE" as never))).toBe("BADARGUMENTS");
    expect(await codeOf(zk.removeAllWatches("/a", "Any"))).toBe("NOWATCHER");
    expect(host.packets).toEqual([]);
  });

  it("refuses a non-positive session timeout at construction", () => {
    const host = { now: () => 0, perform: () => undefined };
    expect(() => new ZooKeeper({ servers: [1], sessionTimeoutMs: -5, prng: new Prng(1, "x") },
      host)).toThrow(KeeperError);
  });

  it("answers a multi with a bad op as the asynchronous Java multi does", async () => {
    const { zk, host } = connected();
    const error = await zk.multi([Ops.create("/ok", "x"), Ops.delete("bad")]).catch((e) => e);
    expect(error).toBeInstanceOf(KeeperError);
    expect((error as KeeperError).code).toBe("BADARGUMENTS");
    expect((error as KeeperError).results).toEqual([
      { type: "error", err: "RUNTIMEINCONSISTENCY" }, { type: "error", err: "BADARGUMENTS" },
    ]);
    expect(host.packets).toEqual([]);
  });
});

describe("requests and replies", () => {
  it("sends each create mode with its opcode and flag", () => {
    const { zk, host } = connected();
    void zk.create("/t", null, undefined, "PERSISTENT_SEQUENTIAL_WITH_TTL", 1000).catch(() => 0);
    void zk.create("/c", "d", undefined, "CONTAINER").catch(() => 0);
    void zk.create("/e", "d", undefined, "EPHEMERAL_SEQUENTIAL").catch(() => 0);
    const requests = host.packets.map((packet) =>
      (packet.type === "request" ? packet.request : undefined));
    expect(requests.map((r) => [r?.type, r !== undefined && "flags" in r ? r.flags : -1]))
      .toEqual([["createTTL", 6], ["createContainer", 4], ["create", 3]]);
  });

  it("settles with ZooKeeper's codes: exists NONODE is null, a failed multi has its results",
    async () => {
      const { zk, answer } = connected();
      const exists = zk.exists("/missing");
      const get = zk.getData("/missing");
      const multi = zk.multi([Ops.check("/a", 3)]);
      answer({ type: "reply", xid: 1, zxid: 7, err: "NONODE" });
      answer({ type: "reply", xid: 2, zxid: 7, err: "NONODE" });
      answer({ type: "reply", xid: 3, zxid: 8, err: "BADVERSION", body: {
        results: [{ type: "error", err: "BADVERSION" }] } });
      expect(await exists).toBeNull();
      expect(await codeOf(get)).toBe("NONODE");
      const failed = (await multi.catch((e: unknown) => e)) as KeeperError;
      expect(failed.code).toBe("BADVERSION");
      expect(failed.results).toHaveLength(1);
    });

  it("runs a watcher when its notification arrives, before later continuations", async () => {
    const { zk, answer } = connected();
    const order: string[] = [];
    const watched = zk.getData("/w", (event) => order.push(`watch ${event.type}`));
    answer({ type: "reply", xid: 1, zxid: 4, err: "OK", body: { data: null, stat: STAT } });
    await watched;
    const after = zk.getData("/w").then(() => order.push("read settled"));
    answer({ type: "notification", event: "NodeDataChanged", path: "/w", zxid: 5 });
    answer({ type: "reply", xid: 2, zxid: 5, err: "OK", body: { data: null, stat: STAT } });
    expect(order).toEqual(["watch NodeDataChanged"]);
    await after;
    expect(order).toEqual(["watch NodeDataChanged", "read settled"]);
    expect(zk.watchers().dataWatches).toEqual([]);
  });

  it("closes without failing, then reports SESSIONEXPIRED", async () => {
    const states: string[] = [];
    const { zk, host } = connected((event) => states.push(event.state));
    const closing = zk.close();
    zk.deliver({ kind: "closed", now: host.now, connection: host.connection });
    await closing;
    expect(zk.state).toBe("CLOSED");
    expect(states).toEqual(["SyncConnected", "Disconnected", "Closed"]);
    expect(await codeOf(zk.sync("/"))).toBe("SESSIONEXPIRED");
  });
});

const STAT = {
  czxid: 1, mzxid: 1, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0,
  ephemeralOwner: 0, dataLength: 0, numChildren: 0, pzxid: 1,
};
