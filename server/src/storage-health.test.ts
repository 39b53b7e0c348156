import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test/helpers/db';
import { isStorageFull, StorageHealth } from './storage-health';

const mb = 1024 * 1024;

describe('storage health', () => {
  it('refuses writes below the free-space floor and accepts them again once space is freed', () => {
    const clock = new FakeClock();
    let freeBlocks = 10 * 256; // 10 MB in 4 KiB blocks
    const storage = new StorageHealth({
      directory: '/var/lib/apiup',
      minFreeBytes: 64 * mb,
      statfs: () => ({ bavail: BigInt(freeBlocks), bsize: 4096n }),
      now: clock.now,
    });
    expect(storage.freeBytes()).toBe(10 * mb);
    expect(storage.canWrite()).toBe(false);
    freeBlocks = 1024 * 256;
    expect(storage.canWrite()).toBe(false); // the last answer is reused for a moment
    clock.advance(2_000);
    expect(storage.canWrite()).toBe(true);
  });

  it('refuses writes for a minute after SQLite reported the disk full, then tries again', () => {
    const clock = new FakeClock();
    const storage = new StorageHealth({ directory: undefined, minFreeBytes: 64 * mb, now: clock.now });
    expect(storage.canWrite()).toBe(true);
    storage.reportFull();
    clock.advance(59_000);
    expect(storage.canWrite()).toBe(false);
    clock.advance(1_000);
    expect(storage.canWrite()).toBe(true);
  });

  it('counts an unreadable folder as unknown, not as full', () => {
    const storage = new StorageHealth({
      directory: '/gone',
      minFreeBytes: 64 * mb,
      statfs: () => {
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      },
    });
    expect(storage.canWrite()).toBe(true);
  });

  it('knows SQLite\'s "full" errors', () => {
    expect(isStorageFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isStorageFull(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false);
  });
});
