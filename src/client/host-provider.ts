/**
 * Which server a session tries next: ZooKeeper's StaticHostProvider. The connect string's
 * servers are shuffled once (with the session's seeded stream instead of java.util.Random) and
 * tried round robin; when a full round has passed since the last successful connection, the
 * client pauses for the spin delay first (next(1000) in ClientCnxn.SendThread.run), so a client
 * cut off from every server does not spin.
 */
import { assert } from "../util/index.js";
import type { Prng } from "../util/index.js";

/** StaticHostProvider with its currentIndex/lastIndex bookkeeping. */
export class HostProvider {
  private readonly servers: readonly number[];
  private currentIndex = -1;
  private lastIndex = -1;

  constructor(servers: readonly number[], prng: Prng) {
    assert(servers.length > 0, "a client needs at least one server");
    assert(new Set(servers).size === servers.length, "servers are distinct", { servers });
    this.servers = prng.shuffled(servers);
  }

  /** How many servers the connect string names (ClientCnxn divides the timeout by it). */
  get size(): number {
    return this.servers.length;
  }

  /** next(): the server to try and whether to sleep the spin delay first. */
  next(): { readonly server: number; readonly spin: boolean } {
    this.currentIndex++;
    if (this.currentIndex === this.servers.length) this.currentIndex = 0;
    const server = this.servers[this.currentIndex];
    assert(server !== undefined, "index within the server list");
    const spin = this.currentIndex === this.lastIndex;
    // The first attempt ever does not sleep.
    if (this.lastIndex === -1) this.lastIndex = 0;
    return { server, spin };
  }

  /** onConnected(): the round restarts from the server that took the session. */
  onConnected(): void {
    this.lastIndex = this.currentIndex;
  }
}
