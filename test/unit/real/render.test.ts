/**
 * Rendering wire replies in the scenario result format: ephemeralOwner as the owning session's
 * ordinal (0 for none), a failed multi's overall error taken from its first failing op, only the
 * keys that apply, CONNECTIONLOSS with the reconnect flag, and the paths a run created (what
 * `runAgainst` may delete afterwards, and nothing else).
 */
import { describe, expect, it } from "vitest";
import { createdPaths } from "../../../src/real/against.js";
import type { Stat } from "../../../src/real/protocol.js";
import { renderReply, renderStat } from "../../../src/real/render.js";
import type { Reply } from "../../../src/real/session.js";
import type { Step } from "../../../src/script/index.js";

const STAT: Stat = {
  czxid: 5n, mzxid: 6n, ctime: 1n, mtime: 2n, version: 1, cversion: 0, aversion: 0,
  ephemeralOwner: 0x100000abcn, dataLength: 3, numChildren: 0, pzxid: 5n,
};
const ordinals = new Map<bigint, number>([[0x100000abcn, 2]]);
const ordinalOf = (id: bigint): number | undefined => ordinals.get(id);

function reply(err: number, body: Reply["body"], reconnected?: boolean): Reply {
  return { err, zxid: 9n, body, seq: 1, reconnected };
}

describe("renderStat", () => {
  it("prints the owner as its session ordinal and drops ctime/mtime", () => {
    expect(renderStat(STAT, ordinalOf)).toEqual({
      czxid: 5, mzxid: 6, pzxid: 5, version: 1, cversion: 0, aversion: 0,
      ephemeralOwner: "s2", dataLength: 3, numChildren: 0,
    });
    expect(renderStat({ ...STAT, ephemeralOwner: 0n }, ordinalOf).ephemeralOwner).toBe(0);
  });
});

describe("renderReply", () => {
  const getData: Step = { op: "getData", s: 0, path: "/a", watch: false };
  const multi: Step = { op: "multi", s: 0, ops: [] };

  it("keeps only the keys that apply", () => {
    const ok = renderReply(getData, reply(0, { kind: "data", data: null, stat: STAT }), ordinalOf);
    expect(Object.keys(ok).sort()).toEqual(["data", "err", "stat"]);
    expect(renderReply(getData, reply(-101, undefined), ordinalOf)).toEqual({ err: "NONODE" });
  });

  it("names a failed multi by its first failing op", () => {
    const body: Reply["body"] = {
      kind: "multi",
      results: [
        { type: "error", err: 0 },
        { type: "error", err: -103 },
        { type: "error", err: -2 },
      ],
    };
    expect(renderReply(multi, reply(-103, body), ordinalOf)).toEqual({
      err: "BADVERSION",
      results: [
        { type: "error", err: "OK" },
        { type: "error", err: "BADVERSION" },
        { type: "error", err: "RUNTIMEINCONSISTENCY" },
      ],
    });
  });

  it("reports CONNECTIONLOSS with whether the session came back", () => {
    expect(renderReply(getData, reply(-4, undefined, true), ordinalOf)).toEqual({
      err: "CONNECTIONLOSS",
      reconnected: true,
    });
  });
});

describe("createdPaths", () => {
  it("lists paths from successful creates and multis only", () => {
    expect(
      createdPaths([
        { err: "OK", path: "/a" },
        { err: "NODEEXISTS" },
        {
          err: "OK",
          results: [{ type: "create", err: "OK", path: "/b" }, { type: "check", err: "OK" }],
        },
        { err: "NONODE", results: [{ type: "error", err: "NONODE" }] },
      ]),
    ).toEqual(["/a", "/b"]);
  });
});
