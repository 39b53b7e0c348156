import { defineConfig } from 'drizzle-kit';

// PostgreSQL migrations, from the tables derived from server/src/db/schema (see server/src/db/pg-schema.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/pg-tables.ts',
  out: './drizzle/pg',
});
