/**
 * Copies every table of one database into another, empty one: a host moving from the SQLite file to
 * PostgreSQL (`npm run db:copy`). Both are migrated to this version first, so they have the same
 * tables. Tables go parents first (their foreign keys), in pages ordered by primary key, every
 * column as stored (ids included); on PostgreSQL the id sequences then continue after the copied ids.
 * The job records come along; on PostgreSQL a live job also needs its pg-boss run, which the product
 * makes when it starts (`DbJobQueue.adoptOrphans`).
 */
import { asc, count, getTableColumns, getTableName, is, sql } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { migrateDb, type Db } from './client';
import * as schema from './schema';

export interface CopyOptions {
  /** Rows read and written per statement. */
  pageSize?: number;
  /** After each table: its name and how many rows were copied. */
  onTable?: (table: string, rows: number) => void;
}

export async function copyDatabase(source: Db, target: Db, options: CopyOptions = {}): Promise<Record<string, number>> {
  const pageSize = options.pageSize ?? 500;
  await migrateDb(source);
  await migrateDb(target);
  const tables = parentsFirst((Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable)));
  for (const table of tables) {
    const [{ n }] = await target.select({ n: count() }).from(table);
    if (Number(n) > 0) throw new Error(`the target database already holds rows in ${getTableName(table)}: copy into an empty database only`);
  }
  const copied: Record<string, number> = {};
  for (const table of tables) {
    const order = primaryKeyOf(table).map((column) => asc(column));
    let rows = 0;
    for (let offset = 0; ; offset += pageSize) {
      const page = await source
        .select()
        .from(table)
        .orderBy(...order)
        .limit(pageSize)
        .offset(offset);
      if (page.length === 0) break;
      await target.insert(table).values(page);
      rows += page.length;
      if (page.length < pageSize) break;
    }
    if (target.dialect === 'postgres') await continueIds(target, table);
    copied[getTableName(table)] = rows;
    options.onTable?.(getTableName(table), rows);
  }
  return copied;
}

/** Tables ordered so that every table comes after the tables its foreign keys point to. */
function parentsFirst(tables: SQLiteTable[]): SQLiteTable[] {
  const ordered: SQLiteTable[] = [];
  const visiting = new Set<SQLiteTable>();
  const visit = (table: SQLiteTable) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const fk of getTableConfig(table).foreignKeys) visit(fk.reference().foreignTable);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

function primaryKeyOf(table: SQLiteTable) {
  const own = Object.values(getTableColumns(table)).filter((column) => column.primary);
  if (own.length > 0) return own;
  const [composite] = getTableConfig(table).primaryKeys;
  if (!composite) throw new Error(`${getTableName(table)} has no primary key to copy it in order`);
  return composite.columns;
}

/** PostgreSQL: an identity column's sequence continues after the highest copied id. */
async function continueIds(target: Db, table: SQLiteTable): Promise<void> {
  for (const column of Object.values(getTableColumns(table))) {
    if (!(column as unknown as { autoIncrement?: boolean }).autoIncrement) continue;
    const name = getTableName(table);
    await target.execute(
      sql`select setval(pg_get_serial_sequence(${`"${name}"`}, ${column.name}), coalesce(max(${sql.identifier(column.name)}), 1), max(${sql.identifier(column.name)}) is not null) from ${sql.identifier(name)}`,
    );
  }
}
