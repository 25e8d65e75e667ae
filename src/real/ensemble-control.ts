/**
 * What the ensemble runner needs from whoever owns the server processes (scripts/lib/
 * zk-ensemble.ts starts Debian's ZooKeeper; a test may fake it). The runner never spawns or
 * kills anything itself: it asks this interface, so every process is owned, and stopped by its
 * pid, in one place.
 */

/** N voting servers with ids 1..N, each with a client port on `host`. */
export interface EnsembleControl {
  readonly host: string;
  /** How many voting servers the ensemble has (ids 1..size). */
  readonly size: number;
  /** Server k's client port. */
  clientPort(server: number): number;
  /** Whether server k's process runs (started and not killed). */
  isRunning(server: number): boolean;
  /**
   * Starts server k with what its data dir holds (empty the first time) and resolves once its
   * client port answers a four-letter word, before its election is over.
   */
  start(server: number): Promise<void>;
  /** Kills server k with SIGKILL (kill -9) and resolves once its process has exited. */
  kill(server: number): Promise<void>;
}
