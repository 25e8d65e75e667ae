/**
 * What a multi's ops become when the server reads them (MultiOperationRecord.deserialize, then
 * Op.create). The server does not keep the opcode a client put on a create op: it rebuilds each
 * op from its flags, with CreateMode.fromFlag(flags, PERSISTENT), so
 *
 * - a createTTL op whose mode is not a TTL mode becomes a plain create (createContainer for
 *   CONTAINER) and its ttl is dropped: no BADARGUMENTS, unlike a createTTL request on its own;
 * - a create, create2 or createContainer op takes the opcode its mode implies: createContainer
 *   for CONTAINER, create otherwise (so inside a multi, create2 answers like create).
 *
 * Sizes are judged on the ops as sent (jute-size.ts); this runs after that check.
 */
import { createModeFromFlag, isContainer, isTTL } from "../tree/index.js";
import type { MultiOp, MultiRequest } from "../tree/index.js";


/** Op.create's opcode for `flags` (Create.getOpcode over fromFlag(flags, PERSISTENT)). */
function opcodeForFlags(flags: number): "create" | "createContainer" | "createTTL" {
  const mode = createModeFromFlag(flags) ?? "PERSISTENT";
  if (isTTL(mode)) return "createTTL";
  return isContainer(mode) ? "createContainer" : "create";
}

/** One op as the server's MultiOperationRecord holds it. */
export function serverMultiOp(op: MultiOp): MultiOp {
  switch (op.type) {
    case "createTTL": {
      const opcode = opcodeForFlags(op.flags);
      if (opcode === "createTTL") return op;
      return { type: opcode, path: op.path, data: op.data, acl: op.acl, flags: op.flags };
    }
    case "create":
    case "create2":
    case "createContainer": {
      const opcode = opcodeForFlags(op.flags);
      // A TTL mode on a record without a ttl cannot come from the scenario format (TTL modes
      // always travel as createTTL); such an op is left as sent.
      if (opcode === "createTTL") return op;
      return opcode === op.type ? op : { ...op, type: opcode };
    }
    case "delete":
    case "setData":
    case "check":
      return op;
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** A multi request as the server reads it. */
export function serverMultiRequest(request: MultiRequest): MultiRequest {
  return { type: "multi", ops: request.ops.map(serverMultiOp) };
}
