/**
 * `zabsim run --encrypt`: the run's own workload (whatever `--workload` says) plus the key
 * service's tasks on the client API (docs/keys.md, "The --encrypt run"): two administrators,
 * a writer, two readers, three principals and a hostile client, all drawing from the run's
 * seeded stream "encrypt" (the crypto random source included), under the run's faults. At the
 * end the servers' disks reach the checkers as an `at-rest` observation and the keys that still
 * exist as `KeyCustody`; the key-service checkers join every run's own.
 */
import { checkKeyService } from "../../check/index.js";
import type { KeyCustody } from "../../check/index.js";
import { generateRootKey, seededRandom } from "../../crypto/index.js";
import type { RootKey } from "../../crypto/index.js";
import { isKeyBug } from "../../keys/index.js";
import type { KeyBug } from "../../keys/index.js";
import { Prng } from "../../util/index.js";
import { resolveRunOptions } from "../options.js";
import type { RunOptions, RunOptionsInput } from "../options.js";
import { runScenario } from "../scenario.js";
import type {
  ScenarioClient, ScenarioExtras, ScenarioReport, ScenarioTask,
} from "../scenario.js";
import type { RunHooks } from "../simulate.js";
import { custodyOf, diskBlobs } from "./at-rest.js";
import { firstAdmin, secondAdmin } from "./admin.js";
import { hostileClient, principalClient, serviceClient } from "./clients.js";
import { EncryptShared, KeyTaskContext } from "./world.js";

/** How much each task does (rounds of its loop). */
export const ENCRYPT_ROUNDS = {
  adminSteps: 8, secondAdminSteps: 6, writes: 200, reads: 200, principalReads: 60,
  forgeries: 30,
} as const;

/** For tests: sees every generated plaintext, and the root keys that exist at the end. */
export interface Witness {
  readonly secret: (plaintext: Uint8Array) => void;
  readonly root: (root: RootKey) => void;
}

/** The key-service bug a run plants (a protocol bug plants none here). */
export function keyBugsOf(bug: string | null): ReadonlySet<KeyBug> {
  return bug !== null && isKeyBug(bug) ? new Set([bug]) : new Set();
}

/** The tasks of an `--encrypt` run over `shared`. */
export function encryptTasks(shared: EncryptShared): ScenarioTask[] {
  const prng = shared.prng;
  const ctx = (client: ScenarioClient, name: string) =>
    new KeyTaskContext(client, shared, prng.fork(`task/${name}`), `svc:${name}`);
  const root = generateRootKey(seededRandom(prng.fork("root")), 1);
  const r = ENCRYPT_ROUNDS;
  const tasks: ScenarioTask[] = [
    (c) => firstAdmin(ctx(c, "admin-1"), root, r.adminSteps),
    (c) => secondAdmin(ctx(c, "admin-2"), r.secondAdminSteps),
    (c) => serviceClient(ctx(c, "w1"), "writer", "w1", r.writes),
    (c) => serviceClient(ctx(c, "r1"), "reader", "r1", r.reads),
    (c) => serviceClient(ctx(c, "r2"), "reader", "r2", r.reads),
    (c) => hostileClient(new KeyTaskContext(c, shared, prng.fork("task/hostile"), "hostile"),
      r.forgeries),
  ];
  for (const p of shared.principals) {
    tasks.push((c) => principalClient(new KeyTaskContext(c, shared, prng.fork(`task/${p.id}`),
      p.id), p, r.principalReads));
  }
  return tasks;
}

/** The tasks of seed `seed`'s `--encrypt` run, with its final observations and checkers. */
export function encryptPlan(seed: number, options: RunOptions, witness?: Witness):
  { tasks: ScenarioTask[]; extras: ScenarioExtras } {
  const shared = new EncryptShared(new Prng(seed, "encrypt"), keyBugsOf(options.bug));
  shared.witness = witness?.secret;
  let custody: KeyCustody = { roots: [], principals: [] };
  return {
    tasks: encryptTasks(shared),
    extras: {
      finish: (run, observe) => {
        observe({ kind: "at-rest", disks: diskBlobs(run) });
        custody = custodyOf(shared);
        for (const root of custody.roots) witness?.root(root);
      },
      check: (records) => checkKeyService(records, custody),
    },
  };
}

/** One `--encrypt` run of seed `seed` alone (no recipe tasks): its report and its tasks. */
export async function runEncrypted(seed: number, input: RunOptionsInput = {},
  hooks: RunHooks = {}, witness?: Witness): Promise<ScenarioReport> {
  const plan = encryptPlan(seed, resolveRunOptions(input), witness);
  return runScenario(seed, input, plan.tasks, hooks, plan.extras);
}
