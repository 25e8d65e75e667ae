/**
 * The HTML replay in a real browser: a failing run (seed 51 with the planted bug skip-trunc,
 * which loses a TRUNC and so delivers a txn the new leader never committed) is saved, rendered
 * with `zabsim show RUN --html`, and opened from disk in headless Chromium (Debian's package,
 * driven by playwright-core; `npm test` installs it first through scripts/ensure-chromium.ts).
 * The test scrubs to the violation through the page's own violation list and checks what a
 * learner must see there: the space-time diagram with its arrows and the violation mark, each
 * server's role, the znode tree, and the violating event in the log with the checker's words.
 * It saves a screenshot in test-output/browser/ (gitignored). A missing browser fails the test;
 * it is never skipped.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { memoryIo, zabsim } from "../cli/memory-io.js";

const CHROMIUM = "/usr/bin/chromium";
const OUTPUT = resolve(import.meta.dirname, "..", "..", "test-output", "browser");
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

let context: BrowserContext;
let page: Page;
let profile: string;
const errors: string[] = [];
/** The run's first violation, as its run file states it: the page must show its words. */
let firstViolation = "";

/** Runs the failing seed, saves its run file and the page; returns the page's path. */
async function writeReport(): Promise<string> {
  const io = memoryIo();
  // Seed 51 fails with skip-trunc in the fixed world (--swarm off).
  const run = await zabsim(["run", "--seed", "51", "--bug", "skip-trunc", "--swarm", "off",
    "--json"], io);
  expect(run.code).toBe(1);
  io.files.set("run.json", run.stdout);
  const report = JSON.parse(run.stdout) as { violations: { checker: string; message: string }[] };
  firstViolation = report.violations[0]?.message ?? "";
  expect(report.violations[0]?.checker).toBe("zab-total-order");
  const shown = await zabsim(["show", "run.json", "--html", "replay.html"], io);
  expect(shown.code).toBe(0);
  const html = io.files.get("replay.html");
  expect(html).toBeDefined();
  mkdirSync(OUTPUT, { recursive: true });
  const path = join(OUTPUT, "replay-skip-trunc.html");
  writeFileSync(path, html ?? "");
  return path;
}

beforeAll(async () => {
  expect(existsSync(CHROMIUM),
    `${CHROMIUM} is missing: npm test installs it (scripts/ensure-chromium.ts) when run as root`,
  ).toBe(true);
  const path = await writeReport();
  profile = mkdtempSync(join(tmpdir(), "zabsim-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, args: ARGS, viewport: { width: 1500, height: 1000 },
  });
  page = context.pages()[0] ?? await context.newPage();
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  // Opening must need no network: every request other than the file itself fails the test.
  await page.route(/^(?!file:)/, (route) => {
    errors.push(`network request: ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(pathToFileURL(path).href);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
});

afterAll(async () => {
  await context?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
});

describe("the HTML replay in Chromium", () => {
  test("scrubbing to the violation shows the diagram, roles, tree and the violation", async () => {
    await page.click("#violations .v");
    const now = await page.textContent("#log .now");
    expect(now).toContain("VIOLATION");
    expect(now).toContain("zab-total-order");
    // The diagram: a lane per server and client, arrows in the window, the violation's mark.
    expect(await page.locator("#diagram .lane-label").count()).toBe(6);
    expect(await page.locator("#diagram line[marker-end]").count()).toBeGreaterThan(5);
    const mark = page.locator("#diagram g.vmark text");
    await expect.poll(() => mark.count()).toBeGreaterThan(0);
    expect(await mark.first().textContent()).toContain("zab-total-order");
    expect(await mark.first().isVisible()).toBe(true);
    // Roles: every server has one, and there is a leader at the violation.
    const roles = await page.locator("#servers tbody .role").allTextContents();
    expect(roles).toHaveLength(3);
    expect(roles).toContain("LEADING");
    // The tree on server 2 (the one that delivered the txn it should have truncated).
    await page.selectOption("#tree-server", "2");
    const paths = await page.locator("#tree tbody tr td:first-child").allTextContents();
    expect(paths).toContain("/");
    expect(paths).toContain("/zookeeper");
    expect(await page.textContent("#tree-note")).toContain("0x");
    // The checker's explanation is on the page, and the story of the failure ends at it.
    expect(firstViolation).toContain("without 0x");
    expect(await page.textContent("#violations")).toContain(firstViolation);
    expect(await page.locator("#story div").last().textContent()).toContain("VIOLATION");
    await page.screenshot({ path: join(OUTPUT, "replay-violation.png") });
    expect(errors).toEqual([]);
  });

  test("stepping moves the cursor one event; the slider scrubs time", async () => {
    const row = () => page.evaluate(() =>
      (globalThis as unknown as { zabsim: { state: { row: number } } }).zabsim.state.row);
    const before = await row();
    await page.click("#next");
    const after = await row();
    expect(after).toBe(before + 1);
    await page.locator("#slider").fill("1000000");
    expect(await page.textContent("#clock")).toContain("1000.000 ms");
    expect(errors).toEqual([]);
  });
});
