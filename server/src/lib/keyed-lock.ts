/**
 * In-process mutual exclusion per key: work for the same key runs one at a time, in order. Used so
 * that invoicing and the contact sync never both create an accounting customer for the same HubSpot
 * record (the worker is the one process that talks to vendors).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** The lock key for "the accounting customer of this HubSpot record". */
export function customerKeyOf(portalId: string, objectType: string, hubspotId: string): string {
  return `${portalId}:${objectType}:${hubspotId}`;
}
