/**
 * Many rows into one table in one statement, skipping rows a unique key already holds, returning
 * some columns: the webhook intake's inserts (a HubSpot delivery carries up to 100 events, each with
 * its job). On SQLite the statement is prepared once per table, columns and row count and the values
 * are encoded straight by the columns; drizzle's query builder spent about half of the intake's CPU
 * building the same statement again for every delivery (a CPU profile of the intake bench). On
 * PostgreSQL it is drizzle's insert, as everywhere else.
 */
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type Database from 'better-sqlite3';
import { sqliteConnection, type DbOrTx } from './client';

type Returned<R extends Record<string, SQLiteColumn>> = { [K in keyof R]: R[K]['_']['data'] };

/** Distinct statements kept prepared per connection (tables × column sets × row counts seen). */
const maxPrepared = 256;
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export async function insertIgnoringConflicts<T extends SQLiteTable, R extends Record<string, SQLiteColumn>>(
  target: DbOrTx,
  table: T,
  rows: T['$inferInsert'][],
  returning: R,
): Promise<Returned<R>[]> {
  if (rows.length === 0) return [];
  // One column list for all rows (a left-out column would silently take its default on one engine only).
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => (rows[0] as Record<string, unknown>)[key] !== undefined);
  for (const row of rows)
    for (const [key] of columns)
      if ((row as Record<string, unknown>)[key] === undefined)
        throw new Error(`insert into ${getTableName(table)}: every row needs ${key}, as the first one has it`);
  const connection = sqliteConnection(target);
  if (!connection) {
    const inserted = await target.insert(table).values(rows).onConflictDoNothing().returning(returning);
    return inserted as Returned<R>[];
  }
  const returned = Object.entries(returning);
  const statement = preparedStatement(connection, table, columns, rows.length, returned);
  const values: unknown[] = [];
  for (const row of rows) {
    for (const [key, column] of columns) {
      const value = (row as Record<string, unknown>)[key];
      values.push(value === null ? null : column.mapToDriverValue(value));
    }
  }
  const result = statement.all(values) as Record<string, unknown>[];
  return result.map((raw) => {
    const out: Record<string, unknown> = {};
    for (const [key, column] of returned) out[key] = raw[key] === null ? null : column.mapFromDriverValue(raw[key]);
    return out as Returned<R>;
  });
}

/**
 * A statement prepared once per connection (SQLite), for a hot path that runs the same SQL for every
 * delivery; drizzle prepares each statement anew.
 */
export function preparedOn(connection: Database.Database, text: string): Database.Statement {
  return cached(connection, text, () => connection.prepare(text));
}

function cached(connection: Database.Database, key: string, prepare: () => Database.Statement): Database.Statement {
  let statements = prepared.get(connection);
  if (!statements) prepared.set(connection, (statements = new Map()));
  let statement = statements.get(key);
  if (!statement) {
    if (statements.size >= maxPrepared) statements.clear();
    statement = prepare();
    statements.set(key, statement);
  }
  return statement;
}

function preparedStatement(
  connection: Database.Database,
  table: SQLiteTable,
  columns: [string, SQLiteColumn][],
  rowCount: number,
  returned: [string, SQLiteColumn][],
): Database.Statement {
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const names = columns.map(([, column]) => quote(column.name)).join(', ');
  const key = `${getTableName(table)}|${names}|${rowCount}|${returned.map(([k, c]) => `${k}=${c.name}`).join(',')}`;
  return cached(connection, key, () => {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    return connection.prepare(
      `insert into ${quote(getTableName(table))} (${names}) values ${Array.from({ length: rowCount }, () => tuple).join(', ')}` +
        ` on conflict do nothing returning ${returned.map(([k, c]) => `${quote(c.name)} as ${quote(k)}`).join(', ')}`,
    );
  });
}
