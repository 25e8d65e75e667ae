/**
 * The client's own PathUtils.validatePath (src/client/validate.ts) agrees with the tree's
 * isValidPath on random paths over the characters that matter (slashes, dots, NUL, control and
 * surrogate ranges), and names the reason the Java client gives for the common failures.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pathProblem } from "../../../src/client/index.js";
import { isValidPath } from "../../../src/tree/index.js";

const pathChars = fc.constantFrom("/", "/", ".", "a", "b", "\u0000", "\u0001", "\u007f",
  "\ud800", "\uffff", "\u00e9");

describe("validatePath", () => {
  it("accepts exactly the paths the tree's validatePath accepts", () => {
    fc.assert(fc.property(fc.array(pathChars, { maxLength: 12 }), (chars) => {
      const path = chars.join("");
      expect(pathProblem(path) === undefined).toBe(isValidPath(path));
    }), { numRuns: 3000 });
  });

  it("gives PathUtils' messages", () => {
    expect(pathProblem("")).toBe("Path length must be > 0");
    expect(pathProblem("a")).toBe("Path must start with / character");
    expect(pathProblem("/a/")).toBe("Path must not end with / character");
    expect(pathProblem("/a//b")).toBe('Invalid path string "/a//b" caused by empty node name ' +
      "specified @3");
    expect(pathProblem("/a/../b")).toContain("relative paths not allowed @4");
    expect(pathProblem(null)).toBe("Path cannot be null");
    expect(pathProblem("/")).toBeUndefined();
  });
});
