/**
 * What the tasks of an `--encrypt` run share (docs/keys.md, "The --encrypt run"): the
 * administrator and the principals (their key pairs from the run's seeded stream), the root
 * key's shares as the operators hold them, the service instances that hold a root key, and the
 * few keys and paths the tasks work on. Also `KeyTaskContext`, through which a task observes
 * each key-service action as an invoke and a complete, with fingerprints and never plaintext.
 */
import { CryptoError, Principal, fingerprint, seededRandom } from "../../crypto/index.js";
import type { RandomSource } from "../../crypto/index.js";
import { KeeperError } from "../../client/index.js";
import type { Acl } from "../../client/index.js";
import { KeyServiceError, readBy } from "../../keys/index.js";
import type { KeyBug, KeyService, Policy } from "../../keys/index.js";
import type { KeyAction, SealedFacts } from "../../observe/index.js";
import type { Prng } from "../../util/index.js";
import type { ScenarioClient } from "../scenario.js";

/** The keys of the run. */
export const RUN_KEYS = ["k1", "k2"] as const;
/** Values per key: `/enc/<key>/v<i>`, whose ACL lets `PATH_READERS[i]` read them. */
export const PATH_READERS: readonly (readonly string[])[] = [
  ["alice"], ["bob", "carol"], ["alice", "bob", "carol"], [],
];
/** What each principal's policy lets it decrypt (and encrypt). */
export const POLICIES: Readonly<Record<string, readonly string[]>> = {
  alice: ["k1"], bob: ["k1", "k2"], carol: ["k2"],
};
/** Plaintext sizes (the checkers scan every window of each size). */
export const PLAINTEXT_BYTES = [24, 100] as const;
export const DATA_ROOT = "/enc";
export const HOSTILE_ROOT = "/enc/hostile";
/** The root key's shares: n and t. */
export const SHARES = 3;
export const THRESHOLD = 2;

export function valuePath(key: string, index: number): string {
  return `${DATA_ROOT}/${key}/v${index}`;
}

export function policyOf(id: string): Policy {
  return { rules: (POLICIES[id] ?? []).map((key) => ({ key, ops: ["encrypt", "decrypt"] })) };
}

/** Everything the tasks share; only ever touched between world events. */
export class EncryptShared {
  readonly admin: Principal;
  readonly principals: Principal[];
  /** The operators' shares of the newest root key they were handed, and its generation. */
  shares: Uint8Array[] = [];
  generation = 0;
  /** Set once the first administrator created the keys, the paths and the principals. */
  ready = false;
  /** Set when the first administrator is done: the other tasks stop then. */
  finished = false;
  /** Every service instance that may hold a root key (the custody at the end). */
  readonly instances: KeyService[] = [];

  /**
   * Sees every plaintext the tasks generate and the run's root keys' bytes (tests grep the
   * trace and reports for them); never set in a real run.
   */
  witness: ((secret: Uint8Array) => void) | undefined;

  constructor(readonly prng: Prng, readonly bugs: ReadonlySet<KeyBug>) {
    this.admin = Principal.generate("admin", seededRandom(prng.fork("principal/admin")));
    this.principals = Object.keys(POLICIES).sort().map((id) =>
      Principal.generate(id, seededRandom(prng.fork(`principal/${id}`))));
  }

  /** The ACL of a value readable by `readers`: everything for the administrator. */
  valueAcl(readers: readonly string[]): Acl[] {
    const admin = readBy(this.admin.publicPart()).id;
    return [{ perms: 31, id: admin }, ...this.principals.filter((p) => readers.includes(p.id))
      .map((p) => readBy(p.publicPart()))];
  }
}

/** The code of a typed error, or "THREW <name>" for anything else (a checker flags it). */
export function outcomeOf(error: unknown): string {
  if (error instanceof KeeperError || error instanceof KeyServiceError ||
    error instanceof CryptoError) {
    return error.code;
  }
  return `THREW ${error instanceof Error ? error.name : typeof error}`;
}

/** What an action reports on completion, filled in as it goes (kept on failure too). */
export interface ActionFacts {
  version?: number | null;
  plaintext?: Uint8Array | null;
  sealed?: SealedFacts | null;
  readers?: readonly string[] | null;
}

/** What an action names when it begins. */
export interface ActionStart {
  readonly key?: string;
  readonly version?: number | null;
  readonly path?: string | null;
  readonly subject?: string | null;
}

/** One task's view: its client, its streams, its actor name and its observed actions. */
export class KeyTaskContext {
  private nextId = 0;
  readonly random: RandomSource;

  constructor(readonly client: ScenarioClient, readonly shared: EncryptShared,
    readonly prng: Prng, readonly actor: string) {
    this.random = seededRandom(prng.fork("crypto"));
  }

  /** Runs `body` as one observed action; returns its outcome ("OK" or an error's code). */
  async act(action: KeyAction, start: ActionStart,
    body: (facts: ActionFacts) => Promise<void>): Promise<string> {
    const id = this.nextId++;
    const client = this.client.node;
    this.client.observe({
      kind: "key-invoke", client, id, action, actor: this.actor, key: start.key ?? "",
      version: start.version ?? null, path: start.path ?? null, subject: start.subject ?? null,
    });
    const facts: ActionFacts = {};
    let outcome = "OK";
    try {
      await body(facts);
    } catch (error) {
      outcome = outcomeOf(error);
    }
    const plaintext = facts.plaintext ?? null;
    this.client.observe({
      kind: "key-complete", client, id, outcome, version: facts.version ?? null,
      plaintext: plaintext === null ? null : fingerprint(plaintext),
      plaintextBytes: plaintext === null ? null : plaintext.length, sealed: facts.sealed ?? null,
      readers: facts.readers ?? null,
    });
    return outcome;
  }

  /** A whole number in [min, max] from this task's stream. */
  between(min: number, max: number): number {
    return this.prng.intBetween(min, max);
  }

  pick<T>(items: readonly T[]): T {
    return this.prng.pick(items);
  }
}
