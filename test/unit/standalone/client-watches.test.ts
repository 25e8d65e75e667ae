/**
 * The client's watch book (ZKWatchManager): which reads leave a watch (exists on OK or NONODE,
 * getData and getChildren on OK only), which notifications consume which watches, and the
 * sorted lists a reconnect sends in SetWatches.
 */
import { describe, expect, it } from "vitest";
import { ClientWatches } from "../../../src/standalone/index.js";

describe("ClientWatches", () => {
  it("registers by read and result code", () => {
    const watches = new ClientWatches();
    watches.register("exists", "/b", "OK");
    watches.register("exists", "/a", "NONODE");
    watches.register("exists", "/bad", "BADARGUMENTS");
    watches.register("getData", "/a", "OK");
    watches.register("getData", "/gone", "NONODE");
    watches.register("getChildren", "/p", "OK");
    watches.register("getChildren", "/q", "NONODE");
    expect(watches.lists()).toEqual({
      dataWatches: ["/a", "/b"], existWatches: ["/a"], childWatches: ["/p"],
    });
  });

  it("lets each notification consume the watches it fires", () => {
    const watches = new ClientWatches();
    watches.register("exists", "/x", "NONODE");
    watches.register("getData", "/y", "OK");
    watches.register("getChildren", "/y", "OK");
    watches.onNotification("NodeCreated", "/x");
    expect(watches.lists().existWatches).toEqual([]);
    watches.onNotification("NodeChildrenChanged", "/y");
    expect(watches.lists()).toEqual({ dataWatches: ["/y"], existWatches: [], childWatches: [] });
    watches.register("getChildren", "/y", "OK");
    watches.onNotification("NodeDeleted", "/y");
    expect(watches.isEmpty()).toBe(true);
  });
});
