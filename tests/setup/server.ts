/** Serves the real Express app on a free port for API tests. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { pino } from 'pino';
import { createApp } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import type { Db } from '../../server/store/index.js';
import { openTestStore, type StoreKind, type TestStore } from './store.js';

export const TOKENS = { ADMIN_TOKEN: 'test-admin-token', COMMANDER_TOKEN: 'test-commander-token' };

/** Tests fire requests faster than any person; tests/api/hygiene.test.ts checks the limits themselves. */
export const NO_RATE_LIMITS = { RATE_LIMIT_PUBLIC: '0', RATE_LIMIT_ANALYSIS: '0', RATE_LIMIT_SIGNIN: '0' };

export interface TestServer {
  url: string;
  /** GET or POST with an optional bearer token; returns status and parsed JSON. */
  call(path: string, options?: { token?: string; method?: string; body?: unknown }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestServer(db: Db, env: Record<string, string> = {}): Promise<TestServer> {
  const config = readConfig({ ...TOKENS, ...NO_RATE_LIMITS, PORT: '0', HOST: '127.0.0.1', ...env });
  const app = createApp(db, config, pino({ level: 'silent' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async call(path, { token, method = 'GET', body } = {}) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* non-JSON bodies (HTML, text) are returned as text */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A private seeded store and the app serving it for the enclosing describe block: opened before
 * its tests, closed after. Read `ctx.api` / `ctx.store` inside the tests. `env` adds configuration
 * (e.g. USERS).
 */
export function useTestApi(kind: StoreKind = 'pglite', env: Record<string, string> = {}): { api: TestServer; store: TestStore } {
  const ctx = {} as { api: TestServer; store: TestStore };
  beforeAll(async () => {
    ctx.store = await openTestStore(kind);
    ctx.api = await startTestServer(ctx.store.db, env);
  });
  afterAll(async () => {
    await ctx.api?.close();
    await ctx.store?.dispose();
  });
  return ctx;
}
