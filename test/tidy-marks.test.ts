/**
 * Tidy, the mark registry (src/run/marks.ts) in both directions: every mark() call in src/ names
 * a registered mark with a literal string, every registered mark has a call, no name is
 * registered twice, and a mark reached only by a test is named in that test's file. A mark that
 * drifts from the registry would be counted under a name no sweep asks about, or asked about
 * under a name no code reaches.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { MARKS } from "../src/run/marks.js";

const ROOT = resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** The mark() calls of one source text: literal names, and problems for any other argument. */
function markCalls(path: string, text: string): { names: string[]; problems: string[] } {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  const problems: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) &&
      node.expression.text === "mark") {
      const arg = node.arguments[0];
      if (arg !== undefined && ts.isStringLiteralLike(arg)) names.push(arg.text);
      else {
        const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        problems.push(`${relative(ROOT, path).split(sep).join("/")}:${line}: mark() without a ` +
          "literal name");
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { names, problems };
}

const calls = sourceFiles(join(ROOT, "src"))
  .map((path) => markCalls(path, readFileSync(path, "utf8")));
const called = new Set(calls.flatMap((c) => c.names));
const registered = MARKS.map((def) => def.name);

describe("tidy: the mark registry", () => {
  test("the scanner finds mark() calls and refuses a computed name", () => {
    const found = markCalls("x.ts", 'mark("a: b"); mark(`c`); mark(name); other("d");');
    expect(found.names).toEqual(["a: b", "c"]);
    expect(found.problems).toHaveLength(1);
    expect(called.size).toBeGreaterThan(30);
  });

  test("every mark() call names a literal, registered mark", () => {
    expect(calls.flatMap((c) => c.problems)).toEqual([]);
    expect([...called].filter((name) => !registered.includes(name)).sort()).toEqual([]);
  });

  test("every registered mark has a call, and is registered once", () => {
    expect(registered.filter((name) => !called.has(name))).toEqual([]);
    expect(registered.filter((name, i) => registered.indexOf(name) !== i)).toEqual([]);
  });

  test("a mark reached only by a test is named in that test's file", () => {
    const missing = MARKS.flatMap((def) => {
      if (def.reach.by !== "test") return [];
      const path = join(ROOT, def.reach.test);
      return existsSync(path) && readFileSync(path, "utf8").includes(`"${def.name}"`)
        ? [] : [`${def.name} (${def.reach.test})`];
    });
    expect(missing).toEqual([]);
  });
});
