import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { openTestStore, type TestStore } from '../setup/store.js';
import { TOKENS } from '../setup/server.js';

describe('request log', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => store?.dispose());

  it('records API requests without the bearer token or any secret in the query string or headers', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = createApp(store.db, readConfig({ ...TOKENS }), createLogger('info', sink));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/api/layers`, { headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    await fetch(`http://127.0.0.1:${port}/api/layers?token=leak-me-0123456789&tk=leak-tk-42`, { headers: { 'x-api-key': 'leak-header-77' } });
    await new Promise((r) => server.close(r));
    const log = lines.join('');
    expect(log).toContain('/api/layers');
    expect(log).toContain('[Redacted]');
    expect(log).not.toContain(TOKENS.ADMIN_TOKEN);
    expect(log).toContain('token=[Redacted]');
    expect(log).not.toMatch(/leak-me|leak-tk|leak-header/);
  });
});
