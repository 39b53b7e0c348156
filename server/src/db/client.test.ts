import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateDb, openDb } from './client';

describe('openDb', () => {
  it('keeps the database to its owner: the folder it creates 0700, the database and its WAL files 0600', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'apiup-db-')), 'daten', 'mandant');
    const path = join(dir, 'apiup.sqlite');
    const db = openDb(path);
    migrateDb(db);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    db.$client.close();
  });
});
