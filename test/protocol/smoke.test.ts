/** Smoke: a 3-voter ensemble elects a leader and commits writes. */
import { describe, expect, it } from "vitest";
import { Cluster } from "../helpers/cluster.js";

describe("smoke", () => {
  it("elects and commits", () => {
    const c = new Cluster({ voters: 3 }).start();
    const leader = c.elect();
    expect(leader).toBe(3);
    c.request(1, 100, 1, { op: "set", key: "a", value: "1" });
    c.runFor(100_000);
    expect(c.replies.map((r) => r.result.err)).toEqual(["OK"]);
    c.request(2, 100, 2, { op: "get", key: "a" });
    expect(c.replies[1]?.result.value).toBe("1");
  });
});
