/**
 * Persistent and recursive watches, their downgrade by a standard watch (per manager: the child
 * manager keeps its persistent mode), and one notification per watcher per trigger, against a
 * real server: the expected events were received by a ZooKeeper 3.8.0 Java client (session 2,
 * one Watcher object) while session 1 made the changes, on a standalone server on loopback.
 */
import { describe, expect, it } from "vitest";
import type { WriteRequest } from "../../../src/tree/index.js";
import { Harness, create, del, setData } from "./helpers.js";

const RECORDED = [
  "NodeCreated /p",
  "NodeDataChanged /p",
  "NodeChildrenChanged /p",
  "NodeChildrenChanged /p",
  "NodeCreated /r",
  "NodeCreated /r/a",
  "NodeCreated /r/a/b",
  "NodeDataChanged /r/a",
  "NodeDeleted /r/a/b",
  "-- downgrade",
  "NodeDataChanged /p",
  "NodeDeleted /p",
  "-- both watches on /r/a",
  "NodeCreated /r/a/c",
  "NodeChildrenChanged /r/a",
  "NodeDeleted /r/a/c",
  "NodeDeleted /r/a",
];

function probe(): string[] {
  const h = new Harness();
  const s1 = h.openSession();
  const s2 = h.openSession();
  const out: string[] = [];
  const write = (request: WriteRequest): void => {
    for (const e of h.writeAs(s1, request).events) {
      if (e.sessionId === s2) out.push(`${e.type} ${e.path}`);
    }
  };
  h.read(s2, { type: "addWatch", path: "/p", mode: "PERSISTENT" });
  h.read(s2, { type: "addWatch", path: "/r", mode: "PERSISTENT_RECURSIVE" });
  write(create("/p", "PERSISTENT", null));
  write(setData("/p", null));
  write(create("/p/c", "PERSISTENT", null));
  write(setData("/p/c", null));
  write(del("/p/c"));
  write(create("/r", "PERSISTENT", null));
  write(create("/r/a", "PERSISTENT", null));
  write(create("/r/a/b", "EPHEMERAL", null));
  write(setData("/r/a", null));
  write(del("/r/a/b"));
  write(create("/rx", "PERSISTENT", null));
  out.push("-- downgrade");
  h.read(s2, { type: "getData", path: "/p", watch: true });
  write(setData("/p", null));
  write(setData("/p", null));
  write(del("/p"));
  out.push("-- both watches on /r/a");
  h.read(s2, { type: "getChildren", path: "/r/a", watch: true });
  write(create("/r/a/c", "PERSISTENT", null));
  write(del("/r/a/c"));
  h.read(s2, { type: "getData", path: "/r/a", watch: true });
  h.read(s2, { type: "getChildren", path: "/r/a", watch: true });
  write(del("/r/a"));
  return out;
}

describe("watch events recorded from ZooKeeper 3.8.0", () => {
  it("are the same, event by event", () => {
    expect(probe()).toEqual(RECORDED);
  });
});
