/**
 * Smoke: a 3-voter ensemble elects the highest sid (equal epochs and zxids), opens a session,
 * commits a create through a follower and serves the read from another follower.
 */
import { describe, expect, it } from "vitest";
import { Cluster } from "../helpers/cluster.js";
import { OPEN_ACL_UNSAFE } from "../../src/tree/index.js";

describe("smoke", () => {
  it("elects, opens a session, commits a create and reads it back", () => {
    const c = new Cluster({ voters: 3 }).start();
    expect(c.elect()).toBe(3);
    const session = c.openSession(1, 100);
    const data = new TextEncoder().encode("v1");
    const request = { type: "create", path: "/a", data, acl: OPEN_ACL_UNSAFE, flags: 0 } as const;
    c.request(1, 100, 1, request, session);
    c.runFor(100_000);
    expect(c.replyTo(100, 1)?.result.err).toBe("OK");
    c.request(2, 100, 2, { type: "getData", path: "/a", watch: false }, session);
    expect(c.replyTo(100, 2)?.result.read?.data).toEqual(data);
  });
});
