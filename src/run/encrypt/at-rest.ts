/**
 * The end of an `--encrypt` run, for its checkers: the data bytes on every server's disk (every
 * record that still checks out, txn and snapshot alike, decoded, and every byte string in it
 * once: znode data, multi ops, snapshot nodes), and the keys that still exist (the root key of
 * every service instance, after instances left behind by a root rotation sealed themselves as
 * they would on their next use, and every principal's current key pairs).
 */
import { decodeRecord } from "../../consensus/index.js";
import { fingerprint } from "../../crypto/index.js";
import type { RootKey } from "../../crypto/index.js";
import type { KeyCustody } from "../../check/index.js";
import { DiskBlobs } from "../../observe/index.js";
import { openRecord } from "../../sim/index.js";
import type { PreparedRun } from "../simulate.js";
import { serverIds } from "../options.js";
import type { EncryptShared } from "./world.js";
import { blobsIn } from "../../util/index.js";

/** The servers' disks as distinct data blobs, in node, file and record order. */
export function diskBlobs(run: PreparedRun): DiskBlobs {
  const { voters, observers } = serverIds(run.options);
  const seen = new Set<string>();
  const blobs: Uint8Array[] = [];
  const prints: string[] = [];
  for (const id of [...voters, ...observers]) {
    const { disk } = run.world.node(id);
    for (const file of disk.list()) {
      for (const stored of disk.read(file)) {
        const payload = openRecord(stored);
        const record = payload === undefined ? undefined : decodeRecord(payload);
        const found: Uint8Array[] = [];
        blobsIn(record, found);
        for (const blob of found) {
          const print = fingerprint(blob);
          if (seen.has(print)) continue;
          seen.add(print);
          blobs.push(blob);
          prints.push(print);
        }
      }
    }
  }
  return new DiskBlobs(blobs, fingerprint(new TextEncoder().encode(prints.join(""))));
}

/** The keys that exist at the end (stale instances seal themselves first). */
export function custodyOf(shared: EncryptShared): KeyCustody {
  const live = shared.instances.filter((svc) => !svc.sealed);
  const newest = Math.max(0, ...live.map((svc) => svc.requireRoot().generation));
  const roots: RootKey[] = [];
  for (const svc of live) {
    if (svc.requireRoot().generation < newest) svc.reseal();
    else if (!roots.includes(svc.requireRoot())) roots.push(svc.requireRoot());
  }
  return { roots, principals: shared.principals };
}
