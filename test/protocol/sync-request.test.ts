/**
 * A client's sync on the step-by-step harness (test/helpers/cluster.ts): Leader.processSync
 * answers at once when nothing is outstanding, and otherwise holds the answer until the last
 * proposal commits, so a read after sync sees every write the leader had proposed. The marks
 * prove which branch each scenario ran (the default workload sends no sync yet: run/marks.ts).
 */
import { describe, expect, it } from "vitest";
import { markHit } from "../../src/util/index.js";
import { OPEN_ACL_UNSAFE } from "../../src/tree/index.js";
import { Cluster } from "../helpers/cluster.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("sync through a follower", () => {
  it("is answered at once when the leader has nothing outstanding", () => {
    const c = new Cluster({ voters: 3 }).start();
    const leader = c.elect();
    const follower = c.ids.find((id) => id !== leader) ?? 0;
    const session = c.openSession(follower, 100);
    const run = markHit("leader: sync waits for outstanding proposals", () =>
      markHit("leader: sync request", () => {
        c.request(follower, 100, 1, { type: "sync", path: "/" }, session);
        c.runFor(300_000);
      }));
    expect(run.value.hit).toBe(true);
    expect(run.hit).toBe(false);
    expect(c.replyTo(100, 1)?.result.err).toBe("OK");
  });

  it("waits for the proposals in flight and then sees their writes", () => {
    const c = new Cluster({ voters: 3 }).start();
    const leader = c.elect();
    const follower = c.ids.find((id) => id !== leader) ?? 0;
    const writer = c.openSession(leader, 100);
    const reader = c.openSession(follower, 200);
    const run = markHit("leader: sync waits for outstanding proposals", () => {
      const create = { type: "create", path: "/w", data: enc("w"), acl: OPEN_ACL_UNSAFE,
        flags: 0 } as const;
      c.request(leader, 100, 1, create, writer);
      c.request(follower, 200, 1, { type: "sync", path: "/" }, reader);
      c.runFor(300_000);
    });
    expect(run.hit).toBe(true);
    expect(c.replyTo(200, 1)?.result.err).toBe("OK");
    c.request(follower, 200, 2, { type: "exists", path: "/w", watch: false }, reader);
    c.runFor(100_000);
    expect(c.replyTo(200, 2)?.result.err).toBe("OK");
  });
});
