/**
 * In-process mutual exclusion per key: work for the same key runs one at a time, in order. Used so
 * that invoicing and the contact sync never both create an accounting customer for the same HubSpot
 * record. Within one process this is enough; several instances on one PostgreSQL add an advisory lock.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * `across`: the same lock for every process on one database (PostgreSQL advisory locks,
   * db/advisory-locks.ts), taken after this process's turn; without it the lock is this process's only.
   */
  constructor(private readonly across?: CrossProcessLock) {}

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const held = this.across ? () => this.across!.hold(key, work) : work;
    const result = previous.then(held, held);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** Mutual exclusion per key across processes: `work` runs while no other process holds `key`. */
export interface CrossProcessLock {
  hold<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** The lock key for "the accounting customer of this HubSpot record". */
export function customerKeyOf(portalId: string, objectType: string, hubspotId: string): string {
  return `${portalId}:${objectType}:${hubspotId}`;
}
