import { describe, expect, it } from 'vitest';
import { shouldSeed } from '../../seeds/load.js';
import { ConfigError, readConfig } from '../../server/config.js';

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    const c = readConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(c.dataDir).toMatch(/[/\\]data$/);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.basemaps).toEqual([]);
  });

  it('reads TILE_CACHE_MB: 64 by default, 0 switches the tile cache off, nonsense stops the server', () => {
    expect(readConfig({}).tileCacheMb).toBe(64);
    expect(readConfig({ TILE_CACHE_MB: '256' }).tileCacheMb).toBe(256);
    expect(readConfig({ TILE_CACHE_MB: '0' }).tileCacheMb).toBe(0);
    expect(() => readConfig({ TILE_CACHE_MB: 'lots' })).toThrow(/TILE_CACHE_MB must be a number of megabytes from 0 \(no tile cache\) to 65536, got "lots"/);
    expect(() => readConfig({ TILE_CACHE_MB: '-1' })).toThrow(ConfigError);
  });

  it('rejects a bad PORT with the value it got', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT must be an integer from 0 to 65535, got "70000"/);
  });

  it('offers Tianditu basemaps with the token and an XYZ basemap by template', () => {
    const c = readConfig({ TIANDITU_TOKEN: 'abc', BASEMAP_TILES: 'https://tile.example.org/{z}/{x}/{y}.png' });
    expect(c.basemaps.map((b) => b.id)).toEqual(['tianditu-vec', 'tianditu-img', 'xyz']);
    expect(c.basemaps[0].tiles[0]).toContain('tk=abc');
    expect(c.basemaps[0].labels?.[0]).toContain('LAYER=cva');
    expect(() => readConfig({ BASEMAP_TILES: 'https://tile.example.org/tile.png' })).toThrow(/\{z\}, \{x\} and \{y\}/);
  });

  it('keeps ADMIN_TOKEN and COMMANDER_TOKEN as the users "admin" and "commander"', () => {
    const c = readConfig({ ADMIN_TOKEN: 'a-secret-0123456789', COMMANDER_TOKEN: 'c-secret-0123456789' });
    expect(c.users).toEqual([
      { name: 'admin', role: 'admin', token: 'a-secret-0123456789' },
      { name: 'commander', role: 'commander', token: 'c-secret-0123456789' },
    ]);
    expect(readConfig({}).users).toEqual([]);
  });

  it('reads named users from USERS, tokens may contain colons', () => {
    const c = readConfig({ USERS: ' zhangwei:admin:0123456789abcdef , 李娜:commander:tok:with:colons:1234 ,', ADMIN_TOKEN: 'a-secret-0123456789' });
    expect(c.users).toEqual([
      { name: 'zhangwei', role: 'admin', token: '0123456789abcdef' },
      { name: '李娜', role: 'commander', token: 'tok:with:colons:1234' },
      { name: 'admin', role: 'admin', token: 'a-secret-0123456789' },
    ]);
  });

  it('names the bad USERS entry and says how to fix it', () => {
    const good = 'zhangwei:admin:0123456789abcdef';
    expect(() => readConfig({ USERS: `${good},lina:commander` })).toThrow(ConfigError);
    expect(() => readConfig({ USERS: `${good},lina:commander` })).toThrow(/USERS entry 2 \("lina"\) must be name:role:token, e\.g\. USERS=/);
    expect(() => readConfig({ USERS: 'lina:chief:0123456789abcdef' })).toThrow(/entry 1 \("lina"\): role "chief" must be admin or commander/);
    expect(() => readConfig({ USERS: 'lina:commander:short' })).toThrow(/token has 5 characters; use at least 16/);
    expect(() => readConfig({ USERS: 'public:admin:0123456789abcdef' })).toThrow(/not "public"/);
    expect(() => readConfig({ USERS: 'li na:admin:0123456789abcdef' })).toThrow(/one word/);
    expect(() => readConfig({ USERS: `${good},zhangwei:commander:fedcba9876543210` })).toThrow(/"zhangwei" has the same name as "zhangwei"/);
    expect(() => readConfig({ USERS: `${good},lina:commander:0123456789abcdef` })).toThrow(/"lina" has the same token as "zhangwei"/);
    expect(() => readConfig({ USERS: 'admin:admin:0123456789abcdef', ADMIN_TOKEN: 'a-secret-0123456789' })).toThrow(/"admin" has the same name/);
  });

  it('never echoes a bare token from a malformed USERS entry', () => {
    const error = (() => {
      try {
        readConfig({ USERS: 'secret-token-0123456789' });
      } catch (err) {
        return err as Error;
      }
    })();
    expect(error?.message).toMatch(/^USERS entry 1 must be name:role:token/);
    expect(error?.message).not.toContain('secret');
  });

  it('reads SEED_DEMO as auto, always or never (default auto), and names the choices for anything else', () => {
    expect(readConfig({}).seedDemo).toBe('auto');
    expect(readConfig({ SEED_DEMO: 'never' }).seedDemo).toBe('never');
    expect(readConfig({ SEED_DEMO: ' Always ' }).seedDemo).toBe('always');
    expect(() => readConfig({ SEED_DEMO: 'yes' })).toThrow(ConfigError);
    expect(() => readConfig({ SEED_DEMO: 'yes' })).toThrow(/SEED_DEMO must be auto .*, always .* or never, got "yes"/);
  });

  it('seeds at start-up only an empty store, and a DATABASE_URL store only with SEED_DEMO=always', () => {
    const url = 'postgres://u:p@db:5432/onemap';
    const table = (['auto', 'always', 'never'] as const).map((mode) => [
      shouldSeed(mode, { empty: true }),
      shouldSeed(mode, { empty: true, databaseUrl: url }),
      shouldSeed(mode, { empty: false }),
      shouldSeed(mode, { empty: false, databaseUrl: url }),
    ]);
    expect(table).toEqual([
      [true, false, false, false],
      [true, true, false, false],
      [false, false, false, false],
    ]);
  });
});
