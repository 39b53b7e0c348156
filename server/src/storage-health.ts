/**
 * Whether we can still store what we accept. A full disk must not turn into accepted-but-lost
 * webhooks: below `minFreeBytes` in the database's folder, or shortly after SQLite reported the
 * disk or database full, /readyz says not ready and webhooks are answered 503 so the sender
 * (HubSpot retries for 24 h, hubspot.md §5) delivers them again later.
 */
import { statfsSync } from 'node:fs';
import { dbErrorCode } from './db/client';

export interface StorageHealthOptions {
  /** Folder of the database file; undefined for an in-memory database (only SQLite's own errors count). */
  directory: string | undefined;
  minFreeBytes: number;
  statfs?: (path: string) => { bavail: number | bigint; bsize: number | bigint };
  now?: () => number;
}

/** After SQLite said full, writes are refused this long before the next try. */
const fullCooldownMs = 60_000;
/** statfs is cheap but every webhook asks: the answer is reused this long. */
const cacheMs = 2_000;

export class StorageHealth {
  private fullReportedAt: number | undefined;
  private cached: { at: number; freeBytes: number | undefined } | undefined;

  constructor(private readonly options: StorageHealthOptions) {}

  /** Free bytes for us in the database's folder; undefined when unknown (in-memory, statfs failed). */
  freeBytes(): number | undefined {
    const now = this.now();
    if (this.cached && now - this.cached.at < cacheMs) return this.cached.freeBytes;
    let freeBytes: number | undefined;
    if (this.options.directory) {
      try {
        const stats = (this.options.statfs ?? statfsSync)(this.options.directory);
        freeBytes = Number(stats.bavail) * Number(stats.bsize);
      } catch {
        freeBytes = undefined;
      }
    }
    this.cached = { at: now, freeBytes };
    return freeBytes;
  }

  canWrite(): boolean {
    if (this.fullReportedAt !== undefined && this.now() - this.fullReportedAt < fullCooldownMs) return false;
    const free = this.freeBytes();
    return free === undefined || free >= this.options.minFreeBytes;
  }

  /** A write failed because the disk or the database is full. */
  reportFull(): void {
    this.fullReportedAt = this.now();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** "No room": SQLite's disk full or database at its page limit (better-sqlite3 codes), PostgreSQL's `disk_full` (53100). */
export function isStorageFull(error: unknown): boolean {
  const code = dbErrorCode(error);
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === '53100';
}
