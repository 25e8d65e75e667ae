/** Builders for the key service tests: a service over the tree adapter with seeded randomness. */
import { Principal, generateRootKey, seededRandom } from "../../../src/crypto/index.js";
import type { RootKey } from "../../../src/crypto/index.js";
import { KeyService } from "../../../src/keys/index.js";
import type { KeyServiceOptions } from "../../../src/keys/index.js";
import { Prng } from "../../../src/util/index.js";
import { TreeZooKeeper } from "../../helpers/tree-zk.js";

export const ROOT: RootKey = generateRootKey(seededRandom(new Prng(1, "root")));
/** The administrator every helper-built service acts as (the first one initializes the tree). */
export const ADMIN: Principal = Principal.generate("admin", seededRandom(new Prng(1, "admin")));

export function service(zk: TreeZooKeeper, seed = 1,
  options: Partial<KeyServiceOptions> = {}): KeyService {
  return new KeyService({
    zk, root: ROOT, actor: ADMIN,
    random: seededRandom(new Prng(seed, `service/${options.readerId ?? ""}`)),
    ...options,
  });
}

export function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** The CryptoError / KeyServiceError / KeeperError code of a rejected promise. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? code : `untyped ${String(error)}`;
  }
}

/** Every znode's data, concatenated (what a snapshot of the tree would hold). */
export function allData(zk: TreeZooKeeper): Buffer[] {
  const out: Buffer[] = [];
  const visit = (path: string): void => {
    const node = zk.tree.getNode(path);
    if (node === undefined) return;
    if (node.data !== null) out.push(Buffer.from(node.data));
    for (const child of [...(node.children ?? [])].sort()) {
      visit(path === "/" ? `/${child}` : `${path}/${child}`);
    }
  };
  visit("/");
  return out;
}
