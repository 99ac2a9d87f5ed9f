/** Helpers for tests against a real PostgreSQL + PostGIS server (TEST_DATABASE_URL). */
import pg from 'pg';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs fn on a connection to the server's maintenance database (for CREATE/DROP DATABASE). */
export async function adminUrl<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
