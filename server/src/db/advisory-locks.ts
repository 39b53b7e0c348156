/**
 * A lock per key for every instance on one PostgreSQL database: a session-level advisory lock
 * (https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS), taken with
 * `pg_try_advisory_lock` and retried, so a waiter holds no connection. The holder keeps one
 * connection of a pool of its own for the lock's duration (the work's own queries use the main pool,
 * so holders can never starve it); a holder whose process dies loses the lock with its connection.
 */
import pg from 'pg';
import type { CrossProcessLock } from '../lib/keyed-lock';
import { sleep } from '../lib/rate-limit';
import { postgresUrl, type Db } from './client';

export class AdvisoryLocks implements CrossProcessLock {
  private readonly pool: pg.Pool;

  /** `holders`: locks this process may hold at once (its job concurrency is enough). */
  constructor(db: Db, holders: number) {
    const url = postgresUrl(db);
    if (!url) throw new Error('advisory locks need PostgreSQL');
    this.pool = new pg.Pool({ connectionString: url, max: holders });
    this.pool.on('error', () => undefined);
  }

  async hold<T>(key: string, work: () => Promise<T>): Promise<T> {
    const client = await this.acquire(key);
    try {
      return await work();
    } finally {
      try {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        client.release();
      } catch (error) {
        // The connection broke: the server already dropped the lock with the session.
        client.release(error as Error);
      }
    }
  }

  private async acquire(key: string): Promise<pg.PoolClient> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      try {
        const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [key]);
        if (rows[0].ok) return client;
        client.release();
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
      await sleep(Math.min(250, 10 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
