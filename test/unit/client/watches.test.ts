/**
 * The client's watch lists (src/client/watch-registry.ts) against ZKWatchManager: which replies
 * leave which watch, which notification takes which watchers, persistent watches that stay and
 * recursive ones that fire for descendants, session events for every watcher, and a notification
 * reaching the session through its step (materialized watchers in the watch effect).
 */
import { describe, expect, it } from "vitest";
import { WatchRegistry } from "../../../src/client/index.js";
import type { Request } from "../../../src/tree/index.js";
import { Harness } from "./harness.js";

const read = (type: "getData" | "exists" | "getChildren", path: string): Request =>
  ({ type, path, watch: true });

describe("WatchRegistry", () => {
  it("registers by request and reply code, as WatchRegistration.shouldAddWatch says", () => {
    const w = new WatchRegistry();
    w.register(read("exists", "/e"), 1, "NONODE");
    w.register(read("exists", "/d"), 1, "OK");
    w.register(read("getData", "/gone"), 1, "NONODE");
    w.register(read("getChildren", "/c"), 2, "OK");
    w.register(read("getChildren", "/bad"), 2, "NOAUTH");
    w.register({ type: "addWatch", path: "/p", mode: "PERSISTENT" }, 3, "NONODE");
    w.register({ type: "addWatch", path: "/r", mode: "PERSISTENT_RECURSIVE" }, 4, "OK");
    expect(w.lists()).toEqual({
      dataWatches: ["/d"], existWatches: ["/e"], childWatches: ["/c"],
      persistentWatches: ["/p"], persistentRecursiveWatches: ["/r"],
    });
  });

  it("takes one-shot watchers once, keeps persistent ones, walks ancestors for recursive", () => {
    const w = new WatchRegistry();
    w.register(read("getData", "/r/a"), 1, "OK");
    w.register(read("getData", "/r/a"), 2, "OK");
    w.register(read("getChildren", "/r/a"), 1, "OK");
    w.register({ type: "addWatch", path: "/r", mode: "PERSISTENT_RECURSIVE" }, 5, "OK");
    w.register({ type: "addWatch", path: "/r/a", mode: "PERSISTENT" }, 6, "OK");
    expect(w.materialize("NodeDataChanged", "/r/a")).toEqual([1, 2, 5, 6]);
    expect(w.materialize("NodeDataChanged", "/r/a")).toEqual([5, 6]);
    expect(w.materialize("NodeDeleted", "/r/a")).toEqual([1, 5, 6]);
    expect(w.materialize("NodeCreated", "/r/a/b/c")).toEqual([5]);
    expect(w.materialize("NodeCreated", "/other")).toEqual([]);
    expect(w.holds(1)).toBe(false);
    expect(w.holds(5)).toBe(true);
  });

  it("calls the default watcher and every registered one on a session event", () => {
    const w = new WatchRegistry();
    w.register(read("exists", "/x"), 9, "NONODE");
    expect(w.everyWatcher()).toEqual([0, 9]);
    expect(w.removeAll("/x", "Children")).toEqual([]);
    expect(w.removeAll("/x", "Data")).toEqual([9]);
    expect(w.isEmpty()).toBe(true);
  });
});

describe("notifications through the session", () => {
  it("materializes the watch a read left and forgets it after it fires", () => {
    const h = new Harness();
    h.connect();
    h.call({ request: read("exists", "/n"), watcher: 3 });
    h.reply(1, 0x100000001, "NONODE");
    const fired = h.receive({ type: "notification", event: "NodeCreated", path: "/n",
      zxid: 0x100000002 });
    expect(fired).toContainEqual({ kind: "watch", watchers: [3], zxid: 0x100000002,
      event: { type: "NodeCreated", state: "SyncConnected", path: "/n" } });
    expect(h.session.watches.isEmpty()).toBe(true);
    // Notifications do not move the last zxid seen (readResponse returns before).
    expect(h.session.lastZxidSeen).toBe(0x100000001);
  });
});
