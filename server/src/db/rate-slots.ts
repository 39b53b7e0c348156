/**
 * The rate limits' request slots in the database, so several instances on one PostgreSQL share each
 * outside API's limit instead of each taking all of it. One statement per request reserves the next
 * start atomically (row lock on the key): the same rule as the in-process limiter.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { SlotStore } from '../lib/rate-limit';
import type { Db } from './client';
import { rateLimitSlots } from './schema';

export class DbSlotStore implements SlotStore {
  constructor(private readonly db: Db) {}

  async reserve(key: string, spacingMs: number, now: number): Promise<number> {
    const spacing = Math.ceil(spacingMs);
    const start = this.latest(sql`${rateLimitSlots.nextSlot}, ${rateLimitSlots.blockedUntil}, ${now}`);
    const [row] = await this.db
      .insert(rateLimitSlots)
      .values({ key, nextSlot: now + spacing, blockedUntil: 0 })
      .onConflictDoUpdate({ target: rateLimitSlots.key, set: { nextSlot: sql`${start} + ${spacing}` } })
      .returning({ nextSlot: rateLimitSlots.nextSlot });
    return Number(row.nextSlot) - spacing;
  }

  async block(key: string, until: number): Promise<void> {
    await this.db
      .insert(rateLimitSlots)
      .values({ key, nextSlot: 0, blockedUntil: until })
      .onConflictDoUpdate({ target: rateLimitSlots.key, set: { blockedUntil: this.latest(sql`${rateLimitSlots.blockedUntil}, ${until}`) } });
  }

  /** The largest of the values: `greatest(…)` on PostgreSQL, the many-argument `max(…)` on SQLite. */
  private latest(values: SQL): SQL {
    return sql`${sql.raw(this.db.dialect === 'postgres' ? 'greatest' : 'max')}(${values})`;
  }
}
