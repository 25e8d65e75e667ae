/**
 * A principal's client: what a person or program with a grant, but without the root key, uses
 * to open sealed values. It authenticates to ZooKeeper with its digest credentials (so the
 * server applies the first layer, the znode ACLs), reads the value and the grant of its version
 * (readable only by the grantee), opens the grant with its box private key, and opens the value.
 * It also reads its own policy and refuses an operation the policy does not allow: for a
 * symmetric key that split between encrypt and decrypt is the client's discipline, not a
 * cryptographic guarantee (docs/keys.md); the guarantee is that no grant exists without a policy.
 */
import { openGrant, openValue, sealValue, sealedHeaderOf } from "../crypto/index.js";
import type {
  DecryptionKeys, Principal, RandomSource, SealContext, SecretKey,
} from "../crypto/index.js";
import { KeyServiceError } from "./errors.js";
import { grantPath, policyPath } from "./layout.js";
import { allows, decodePolicy } from "./policy.js";
import type { PolicyOp } from "./policy.js";
import type { ZooKeeperApi } from "./zk.js";

export class PrincipalClient {
  constructor(readonly zk: ZooKeeperApi, readonly principal: Principal,
    readonly random: RandomSource) {}

  /** Sends the principal's digest credentials on this connection (ZooKeeper's addAuthInfo). */
  async authenticate(): Promise<void> {
    await this.zk.addAuth("digest", this.principal.digestAuth());
  }

  private async require(op: PolicyOp, name: string): Promise<void> {
    const { data } = await this.zk.getData(policyPath(this.principal.id));
    const policy = decodePolicy(data);
    if (policy === undefined || !allows(policy, op, name)) {
      throw new KeyServiceError("NOT_PERMITTED", `${this.principal.id} may not ${op} "${name}"`);
    }
  }

  /** Version `version` of `name`, from this principal's grant. */
  async versionKey(name: string, version: number): Promise<SecretKey> {
    const { data } = await this.zk.getData(grantPath(name, this.principal.id, version));
    return openGrant(this.principal, name, version, data ?? new Uint8Array());
  }

  /** Opens the sealed value at `path` (typed errors from ZooKeeper, the policy, crypto). */
  async open(path: string): Promise<Uint8Array> {
    const { data } = await this.zk.getData(path);
    if (data === null) throw new KeyServiceError("BAD_ARGUMENT", `${path} holds no data`);
    const { keyName, keyVersion } = sealedHeaderOf(data);
    await this.require("decrypt", keyName);
    const key = await this.versionKey(keyName, keyVersion);
    const keys: DecryptionKeys = { name: keyName, decryptionKey: () => key };
    try {
      return openValue(keys, path, data);
    } finally {
      key.wipe();
    }
  }

  /** Seals `plaintext` under version `version` of `name` (the policy must allow encrypt). */
  async seal(name: string, version: number, context: SealContext, plaintext: Uint8Array):
    Promise<Uint8Array> {
    await this.require("encrypt", name);
    const key = await this.versionKey(name, version);
    try {
      return sealValue({ name, version, key }, context, plaintext, this.random);
    } finally {
      key.wipe();
    }
  }
}
