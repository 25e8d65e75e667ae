/**
 * Encrypted against plain client writes through the simulated ensemble (issue 15's figure):
 * four API tasks on `runScenario` (three servers, no faults, no other clients) each write
 * values of 100 B, 1 KiB and 64 KiB back to back, either plain (`setData`) or sealed by the key
 * service first (`seal` under a cached keyring, then `setData`). The figure is writes completed
 * per wall-second between the first write and the last, so the world's set-up and idle tail do
 * not count; the ratio is plain / sealed (the issue's goal: at most 1.3 at 1 KiB).
 */
import { Principal, generateRootKey, seededRandom } from "../src/crypto/index.js";
import { KeyService } from "../src/keys/index.js";
import { runScenario } from "../src/run/scenario.js";
import type { ScenarioClient } from "../src/run/scenario.js";
import { Prng } from "../src/util/index.js";
import type { Benchmark, BenchRow } from "./main.js";

const SIZES: readonly [string, number][] = [["100B", 100], ["1KiB", 1024], ["64KiB", 65_536]];
const TASKS = 4;
const WRITES = 150;
const OPTIONS = { faults: "none", clients: 0, durationMs: 60_000, livenessMs: 1 } as const;

function wallMs(): number {
  return performance.now(); // wall-clock-ok: bench code measures real time.
}

/** Writes per wall-second of one run of TASKS tasks writing `size`-byte values. */
async function writesPerSecond(size: number, sealed: boolean): Promise<number> {
  const random = seededRandom(new Prng(7, "bench"));
  const root = generateRootKey(random);
  const admin = Principal.generate("admin", random);
  let created = false;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let done = 0;
  const task = (index: number) => async (client: ScenarioClient): Promise<void> => {
    await client.sleep(3000); // an elected leader first
    const zk = client.connect();
    const svc = new KeyService({ zk, root, actor: admin, random });
    const path = `/bench${index}`;
    await zk.create(path, null);
    if (index === 0 && sealed) {
      await svc.createKey("k");
      created = true;
    }
    while (sealed && !created) await client.sleep(10);
    if (sealed) await svc.keyring("k");
    const value = random.bytes(size);
    first = Math.min(first, wallMs());
    for (let i = 0; i < WRITES; i++) {
      const data = sealed ? await svc.seal("k", { kind: "path", path }, value) : value;
      await zk.setData(path, data);
      done += 1;
    }
    last = Math.max(last, wallMs());
  };
  const tasks = Array.from({ length: TASKS }, (_, i) => task(i));
  const { report } = await runScenario(1, OPTIONS, tasks);
  if (report.violations.length > 0 || done !== TASKS * WRITES) {
    throw new Error(`bench run failed: ${done} writes, ${JSON.stringify(report.violations)}`);
  }
  return done / ((last - first) / 1000);
}

async function ensembleWrites(): Promise<BenchRow> {
  const row: Record<string, number> = {};
  for (const [label, size] of SIZES) {
    await writesPerSecond(size, false); // warm-up
    const plain = await writesPerSecond(size, false);
    const sealed = await writesPerSecond(size, true);
    row[`plain${label}PerSec`] = Math.round(plain);
    row[`sealed${label}PerSec`] = Math.round(sealed);
    row[`ratio${label}`] = Math.round((plain / sealed) * 100) / 100;
  }
  return row;
}

export const benchmarks: Benchmark[] = [
  { name: "encrypt/ensemble-writes", run: ensembleWrites },
];
