/**
 * `zabsim check FILE --model M`: Jepsen histories in both EDN layouts (one map a line, one
 * vector), the exit codes (0 linearizable, 1 not, 2 bad input naming the line, 3 unknown when
 * the budget runs out), the --json shape, the :nemesis process ignored, :info values ignored in
 * favour of the invocation's, independent keys checked key by key, and the znode EDN shape of
 * docs/linearizability.md.
 */
import { describe, expect, test } from "vitest";
import { memoryIo, zabsim } from "./memory-io.js";

async function check(text: string, ...flags: string[]) {
  const io = memoryIo();
  io.files.set("h.edn", text);
  return zabsim(["check", "h.edn", ...flags], io);
}

const LINEAR = [
  "{:process 0, :type :invoke, :f :write, :value 1}",
  "{:process :nemesis, :type :info, :f :start, :value nil}",
  "{:process 0, :type :ok, :f :write, :value 1}",
  "{:process 1, :type :invoke, :f :read, :value nil}",
  "{:process 2, :type :invoke, :f :cas, :value [1 2]}",
  "{:process 1, :type :ok, :f :read, :value 2}",
  "{:process 2, :type :info, :f :cas, :value :timed-out}",
].join("\n");

describe("zabsim check", () => {
  test("a linearizable history: exit 0 (an :info cas takes its value from the invocation)",
    async () => {
      const result = await check(LINEAR, "--model", "cas-register");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("linearizable: 3 operations");
    });

  test("--json prints valid, ops, model and explanation, and nothing else", async () => {
    const ok = await check(LINEAR, "--model", "cas-register", "--json");
    expect(JSON.parse(ok.stdout)).toEqual(
      { valid: true, ops: 3, model: "cas-register", explanation: null });
    const bad = await check(`[${LINEAR}\n{:process 3, :type :invoke, :f :read, :value nil}\n` +
      "{:process 3, :type :ok, :f :read, :value 1}]", "--model", "cas-register", "--json");
    expect(bad.code).toBe(1);
    const parsed = JSON.parse(bad.stdout) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["valid", "ops", "model", "explanation"]);
    expect(parsed["valid"]).toBe(false);
    expect(parsed["ops"]).toBe(4);
    const explanation = parsed["explanation"] as { text: string; timeline: unknown[] };
    expect(explanation.text).toContain("read 1");
    expect(explanation.timeline.length).toBeGreaterThan(2);
  });

  test("a register model rejects a cas; bad input names its line (exit 2)", async () => {
    const result = await check(LINEAR, "--model", "register");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("zabsim: h.edn: line 5: the register model has no :f :cas " +
      "(:read or :write)\n");
    const broken = await check("{:process 0, :type :invoke, :f :read\n", "--model", "register");
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("line 1:");
    const noType = await check("{:process 0, :type :invoked, :f :read}", "--model", "register");
    expect(noType.stderr).toBe("zabsim: h.edn: line 1: :type must be :invoke, :ok, :fail or " +
      ":info\n");
    const missing = await zabsim(["check", "h.edn"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--model");
  });

  test("a budget that runs out: exit 3 and valid unknown", async () => {
    const result = await check(LINEAR, "--model", "cas-register", "--budget", "1", "--json");
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: "unknown", ops: 3 });
  });

  test("independent keys are checked key by key", async () => {
    const history = [
      "{:process 0, :type :invoke, :f :write, :value [:x 1]}",
      "{:process 0, :type :ok, :f :write, :value [:x 1]}",
      "{:process 1, :type :invoke, :f :write, :value [:y 2]}",
      "{:process 1, :type :ok, :f :write, :value [:y 2]}",
      "{:process 2, :type :invoke, :f :read, :value [:x nil]}",
      "{:process 2, :type :ok, :f :read, :value [:x 1]}",
    ];
    expect((await check(history.join("\n"), "--model", "register")).code).toBe(0);
    const crossed = [...history.slice(0, 5), "{:process 2, :type :ok, :f :read, :value [:x 2]}"];
    const result = await check(crossed.join("\n"), "--model", "register");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("not linearizable in key :x");
  });

  test("the znode shape: errors are answers the model must explain", async () => {
    const history = [
      `{:process 0, :type :invoke, :f :create, :value ["/a" "x"]}`,
      `{:process 0, :type :ok, :f :create, :value ["/a" "x"]}`,
      `{:process 1, :type :invoke, :f :set-data, :value ["/a" "y" 0]}`,
      `{:process 1, :type :ok, :f :set-data, :value ["/a" "y" 0 1]}`,
      `{:process 2, :type :invoke, :f :get-data, :value ["/a"]}`,
      `{:process 2, :type :ok, :f :get-data, :value ["/a" "y" 1]}`,
      `{:process 3, :type :invoke, :f :set-data, :value ["/a" "z" 0]}`,
      `{:process 3, :type :fail, :f :set-data, :value ["/a" "z" 0], :error :bad-version}`,
    ];
    expect((await check(history.join("\n"), "--model", "znode")).code).toBe(0);
    const wrong = [...history.slice(0, 7),
      `{:process 3, :type :fail, :f :set-data, :value ["/a" "z" 0], :error :no-node}`];
    const result = await check(wrong.join("\n"), "--model", "znode");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("NONODE");
  });
});

describe("zabsim run --history", () => {
  test("writes the run's client history as Jepsen EDN that zabsim check reads", async () => {
    const io = memoryIo();
    const run = await zabsim(["run", "--seed", "3", "--workload", "basic", "--duration-ms", "2000", "--liveness-ms",
      "1000", "--swarm", "off", "--history", "h.edn", "--json"], io);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report["linearizability"]).toBe("valid");
    expect(report["allowed"]).toEqual({ staleSyncReads: 0 });
    const text = io.files.get("h.edn") ?? "";
    expect(text).toMatch(/^\{:process \d+ :type :invoke :f :[a-z-]+ :value \["\//);
    const checked = await zabsim(["check", "h.edn", "--model", "znode", "--json"], io);
    expect(checked.code).not.toBe(2);
    expect((JSON.parse(checked.stdout) as { ops: number }).ops).toBeGreaterThan(20);
  });
});
