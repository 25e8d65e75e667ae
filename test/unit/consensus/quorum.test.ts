/**
 * Majority quorums (QuorumMaj): hasQuorum against a naive count of distinct voting acks, for
 * ensembles of 1 to 9 voters with observers and unknown ids mixed into the ack set.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { hasQuorum, quorumSize } from "../../../src/consensus/quorum.js";
import type { ServerId } from "../../../src/consensus/ids.js";

const ensemble = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.tuple(
    fc.constant(Array.from({ length: n }, (_, i) => (i + 1) as ServerId)),
    fc.array(fc.integer({ min: 1, max: 14 }).map((id) => id as ServerId), { maxLength: 20 }),
  ),
);

describe("hasQuorum", () => {
  test.prop([ensemble])("holds iff more than half the voters acked", ([voters, acks]) => {
    const distinctVoters = new Set(acks.filter((id) => voters.includes(id)));
    expect(hasQuorum(voters, acks)).toBe(distinctVoters.size * 2 > voters.length);
  });
  test.prop([ensemble])("two quorums always intersect", ([voters, acks]) => {
    const a = acks.filter((id) => voters.includes(id));
    const b = voters.filter((id) => !a.includes(id));
    expect(hasQuorum(voters, a) && hasQuorum(voters, b)).toBe(false);
  });
  test.each([[1, 1], [3, 2], [4, 3], [5, 3], [7, 4]])("%i voters need %i", (n, size) => {
    const voters = Array.from({ length: n }, (_, i) => (i + 1) as ServerId);
    expect(quorumSize(voters)).toBe(size);
  });
});
