/**
 * The protected resource of the lock lessons: a simulated storage service, shared by a run's
 * clients, that takes writes carrying a fencing token (the writer's lock node czxid, or its
 * leader epoch). With fencing it refuses a token older than the newest it has accepted, so a
 * holder that lost its lock without knowing (a pause outlived its session) cannot overwrite a
 * newer holder's work (Kleppmann, "How to do distributed locking", 2016). Without fencing it
 * takes everything. Each write is a `resource` recipe event, which the fencing checker reads.
 */
import type { RecipeClient } from "./context.js";

export class FencedResource {
  private newest = 0;

  /** `fencing: false` is the planted bug lock-no-fencing: every write is taken. */
  constructor(readonly name: string, readonly fencing: boolean) {}

  /** A write with `token`; true when the resource took it. */
  write(client: RecipeClient, token: number): boolean {
    const accepted = !this.fencing || token >= this.newest;
    client.record({
      type: "resource", resource: this.name, token, accepted, newest: this.newest,
    });
    if (accepted) this.newest = Math.max(this.newest, token);
    return accepted;
  }
}
