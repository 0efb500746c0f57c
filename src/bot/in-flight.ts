/**
 * Work a surface has taken on and not finished (a report being built and posted). Shutdown waits
 * for it, so a deploy's SIGTERM never cuts a post between the platform accepting it and the record.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Runs `fn`, remembered until it settles. */
  track<T>(fn: () => Promise<T>): Promise<T> {
    const p = fn();
    this.running.add(p);
    const done = () => this.running.delete(p);
    p.then(done, done);
    return p;
  }

  /** Resolves true when everything in flight has settled, false if `ms` pass first. */
  async drain(ms: number): Promise<boolean> {
    const all = Promise.allSettled([...this.running]).then(() => true);
    return Promise.race([all, new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  }
}
