import { afterEach, describe, expect, it } from 'vitest';
import { KeyedLock } from '../lib/keyed-lock';
import { makeTestDb } from '../../test/helpers/db';
import { testEngine } from '../../test/helpers/postgres';
import { AdvisoryLocks } from './advisory-locks';
import type { Db } from './client';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe.runIf(testEngine() === 'postgres')('advisory locks: one customer lock for every instance', () => {
  it('lets only one instance at a time work on a key, and others on other keys meanwhile', async () => {
    const db: Db = await makeTestDb();
    cleanup.push(() => db.close());
    // Two instances: each its own KeyedLock and its own advisory-lock pool, as two processes have.
    const locksA = new AdvisoryLocks(db, 4);
    const locksB = new AdvisoryLocks(db, 4);
    cleanup.push(
      () => locksA.close(),
      () => locksB.close(),
    );
    const [a, b] = [new KeyedLock(locksA), new KeyedLock(locksB)];
    const key = '30000001:contact:Jürgen-Weißmüller';
    const timeline: string[] = [];
    let inside = 0;
    let most = 0;
    const work = (who: string) => async () => {
      inside++;
      most = Math.max(most, inside);
      timeline.push(`${who}+`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      timeline.push(`${who}-`);
      inside--;
      return who;
    };
    const results = await Promise.all([a.run(key, work('a1')), b.run(key, work('b1')), a.run(key, work('a2')), b.run(key, work('b2'))]);
    expect(results).toEqual(['a1', 'b1', 'a2', 'b2']);
    expect(most).toBe(1);
    // Entered and left in pairs: never two holders at once.
    for (let i = 0; i < timeline.length; i += 2) expect(timeline[i].slice(0, -1)).toBe(timeline[i + 1].slice(0, -1));

    // A different key does not wait for a held one.
    let release!: () => void;
    const held = a.run(key, () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(b.run('30000001:company:Müller GmbH', async () => 'frei')).resolves.toBe('frei');
    release();
    await held;
  });

  it('releases the lock when the work fails', async () => {
    const db: Db = await makeTestDb();
    cleanup.push(() => db.close());
    const locks = new AdvisoryLocks(db, 2);
    cleanup.push(() => locks.close());
    const lock = new KeyedLock(locks);
    await expect(lock.run('k', async () => Promise.reject(new Error('Lexware 503')))).rejects.toThrow('Lexware 503');
    await expect(new KeyedLock(locks).run('k', async () => 'wieder frei')).resolves.toBe('wieder frei');
  });
});
