/**
 * ZooKeeper's four-letter words over TCP (`srvr`, `mntr`), used by the ensemble runner to ask
 * each server what it is doing instead of guessing with sleeps. `srvr` answers "This ZooKeeper
 * instance is not currently serving requests" while the server has no running ZooKeeperServer
 * (looking, or a learner still syncing: FourLetterCommands' ZK_NOT_SERVING), and otherwise gives
 * `Mode:` (leader, follower, standalone) and `Zxid:` (the data tree's last processed zxid).
 */
import { Socket } from "node:net";

/** Sends a four-letter word and returns the whole answer ("" when nobody answers). */
export function fourLetterWord(
  host: string,
  port: number,
  word: string,
  timeoutMs = 1000,
): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let answer = "";
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.connect(port, host, () => socket.write(word));
  });
}

/** What `srvr` says about one server. */
export type ServerStatus =
  | { readonly kind: "down" }
  | { readonly kind: "notServing" }
  | {
      readonly kind: "serving";
      readonly mode: "leader" | "follower" | "standalone" | "observer";
      /** The data tree's last processed zxid. */
      readonly zxid: bigint;
    };

const NOT_SERVING = "not currently serving requests";

/** Parses a `srvr` answer ("" means the server did not answer at all). */
export function parseSrvr(answer: string): ServerStatus {
  if (answer === "") return { kind: "down" };
  if (answer.includes(NOT_SERVING)) return { kind: "notServing" };
  const mode = /^Mode: (\w+)/m.exec(answer)?.[1];
  const zxid = /^Zxid: (0x[0-9a-fA-F]+)/m.exec(answer)?.[1];
  const known = mode === "leader" || mode === "follower" || mode === "standalone"
    || mode === "observer";
  if (!known || zxid === undefined) return { kind: "notServing" };
  return { kind: "serving", mode, zxid: BigInt(zxid) };
}

/** Asks one server with `srvr`. */
export async function serverStatus(host: string, port: number): Promise<ServerStatus> {
  return parseSrvr(await fourLetterWord(host, port, "srvr"));
}

/** `mntr` as a map of its `key<TAB>value` lines. */
export async function monitor(host: string, port: number): Promise<Map<string, string>> {
  const answer = await fourLetterWord(host, port, "mntr");
  const values = new Map<string, string>();
  for (const line of answer.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0) values.set(line.slice(0, tab), line.slice(tab + 1).trim());
  }
  return values;
}
