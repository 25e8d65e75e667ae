/**
 * One key-service instance of an `--encrypt` task: a ZooKeeper session authenticated as the
 * administrator, and a KeyService on it. `live()` keeps it usable the way an operator would: a
 * session the ensemble expired is replaced by a new one, and an instance whose root key is
 * older than the operators' newest shares (a destroy or a root rotation happened elsewhere)
 * wipes it and unseals again with the new shares, as an audited unseal.
 */
import { KeyService } from "../../keys/index.js";
import type { RootKey } from "../../crypto/index.js";
import type { ZooKeeper } from "../../client/index.js";
import { THRESHOLD } from "./world.js";
import type { KeyTaskContext } from "./world.js";

export class ServiceInstance {
  private zkNow: ZooKeeper | undefined;
  private svcNow: KeyService | undefined;
  /** The root generation this instance unsealed with (0: sealed). */
  generation = 0;

  /**
   * `root`: auto-unseal (the first administrator, handed the root key by the run, as Vault's
   * KMS auto-unseal); others unseal from the operators' shares.
   */
  constructor(readonly ctx: KeyTaskContext, readonly readerId?: string,
    private readonly root?: RootKey) {}

  get zk(): ZooKeeper {
    if (this.zkNow === undefined) throw new RangeError("the instance is not connected");
    return this.zkNow;
  }

  /** A connected, unsealed service with the newest root key the operators were handed. */
  async live(): Promise<KeyService> {
    const state = this.zkNow?.state;
    if (this.svcNow === undefined || state === "CLOSED" || state === "AUTH_FAILED") {
      await this.connect();
    }
    const svc = this.svcNow as KeyService;
    if (this.root === undefined && (svc.sealed || this.generation < this.ctx.shared.generation)) {
      await this.unseal();
    }
    return this.svcNow as KeyService;
  }

  private async connect(): Promise<void> {
    const { shared } = this.ctx;
    const zk = this.ctx.client.connect();
    this.zkNow = zk;
    const previous = this.svcNow;
    const root = this.root === undefined ? undefined
      : (previous === undefined ? this.root : previous.requireRoot());
    this.replace(this.service(zk, root), root === undefined);
    if (root !== undefined) this.generation = root.generation;
    await zk.addAuth("digest", shared.admin.digestAuth());
  }

  private service(zk: ZooKeeper, root: RootKey | undefined): KeyService {
    const { shared } = this.ctx;
    return new KeyService({
      zk, actor: shared.admin, random: this.ctx.random, bugs: shared.bugs,
      ...(this.readerId === undefined ? {} : { readerId: this.readerId }),
      ...(root === undefined ? {} : { root }),
    });
  }

  /** Installs `next` in place of the current service; `wipe`: the old root key is wiped. */
  private replace(next: KeyService, wipe: boolean): void {
    const { instances } = this.ctx.shared;
    const previous = this.svcNow;
    if (previous !== undefined) {
      if (wipe) previous.reseal();
      const at = instances.indexOf(previous);
      if (at >= 0) instances.splice(at, 1);
    }
    this.svcNow = next;
    instances.push(next);
  }

  /** Unseals a fresh service with the operators' newest shares (an observed action). */
  private async unseal(): Promise<void> {
    const { shared } = this.ctx;
    const generation = shared.generation;
    const shares = shared.shares.slice(0, THRESHOLD);
    if (shares.length < THRESHOLD) return;
    this.replace(this.service(this.zk, undefined), true);
    const svc = this.svcNow as KeyService;
    await this.ctx.act("unseal", { version: generation }, async (facts) => {
      for (const share of shares) await svc.unseal(share);
      facts.version = svc.requireRoot().generation;
      this.generation = facts.version;
    });
  }

  /** After a root rotation by this instance: hands the new shares to the operators. */
  handOver(shares: readonly Uint8Array[]): void {
    if (shares.length === 0 || this.svcNow === undefined) return;
    const { shared } = this.ctx;
    shared.shares = [...shares];
    shared.generation = this.svcNow.requireRoot().generation;
    this.generation = shared.generation;
  }
}
