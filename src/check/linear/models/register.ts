/**
 * Jepsen's `register` and `cas-register` models (knossos.model Register and CASRegister), as the
 * etcd and ZooKeeper Jepsen tests use them. A value is its canonical text (EDN as the history
 * wrote it) or null for nil. As in Knossos, a read that returned nil is a read whose value the
 * client did not learn: it matches any state.
 */
import type { Model } from "../model.js";

/** A register value: canonical text, or null (nil). */
export type RegisterValue = string | null;

/** What a client asked of the register. */
export type RegisterInput =
  | { readonly f: "read" }
  | { readonly f: "write"; readonly value: RegisterValue }
  | { readonly f: "cas"; readonly from: RegisterValue; readonly to: RegisterValue };

/**
 * What it answered: the value read, or whether a cas took effect. A Jepsen history only holds
 * cas operations that succeeded (a :fail did not happen); `ok: false` is a checked failure.
 */
export type RegisterOutput =
  | { readonly f: "read"; readonly value: RegisterValue }
  | { readonly f: "write" }
  | { readonly f: "cas"; readonly ok: boolean };

const show = (value: RegisterValue): string => value ?? "nil";

function stepRegister(
  state: RegisterValue, input: RegisterInput, output: RegisterOutput | undefined, cas: boolean,
): RegisterValue | undefined {
  switch (input.f) {
    case "read": {
      const read = output?.f === "read" ? output.value : null;
      return read === null || read === state ? state : undefined;
    }
    case "write":
      return input.value;
    case "cas": {
      if (!cas) return undefined;
      const matches = input.from === state;
      if (output === undefined || (output.f === "cas" && output.ok)) {
        return matches ? input.to : undefined;
      }
      return matches ? undefined : state;
    }
  }
}

function describeOp(input: RegisterInput, output: RegisterOutput | undefined): string {
  const unknown = output === undefined ? " (unknown outcome)" : "";
  switch (input.f) {
    case "read":
      return `read ${output?.f === "read" ? show(output.value) : "?"}${unknown}`;
    case "write":
      return `write ${show(input.value)}${unknown}`;
    case "cas": {
      const failed = output?.f === "cas" && !output.ok ? " failed" : "";
      return `cas ${show(input.from)}->${show(input.to)}${failed}${unknown}`;
    }
  }
}

function makeRegister(name: string, cas: boolean, initial: RegisterValue):
Model<RegisterValue, RegisterInput, RegisterOutput> {
  return {
    name,
    init: () => initial,
    step: (state, input, output) => stepRegister(state, input, output, cas),
    key: (state) => (state === null ? "\u0000nil" : state),
    readOnly: (input) => input.f === "read",
    noop: (input, output) =>
      input.f === "read" || (output !== undefined && output.f === "cas" && !output.ok),
    describeOp,
    describeState: show,
  };
}

/** A read/write register starting at `initial` (Knossos: `(register initial)`). */
export function registerModel(initial: RegisterValue = null):
Model<RegisterValue, RegisterInput, RegisterOutput> {
  return makeRegister("register", false, initial);
}

/** A read/write/compare-and-set register (Knossos: `(cas-register initial)`). */
export function casRegisterModel(initial: RegisterValue = null):
Model<RegisterValue, RegisterInput, RegisterOutput> {
  return makeRegister("cas-register", true, initial);
}
