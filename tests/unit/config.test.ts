import { describe, expect, it } from 'vitest';
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
});
