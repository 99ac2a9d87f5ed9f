import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlCharacterAt, describeControlCharacter } from '../../core/text.js';
import { ConfigError, readConfig } from '../../server/config.js';
import { ReadError } from '../../server/formats/source.js';
import { unzipEntries, zipEntries } from '../../server/formats/zip.js';
import { removeStaleUploads } from '../../server/import/multipart.js';
import { inspectJson, MAX_JSON_DEPTH } from '../../server/input-guard.js';
import { scrubRequest, scrubUrl } from '../../server/logger.js';
import { isoDateTime } from '../../server/routes/feature-params.js';

describe('control characters', () => {
  it('finds NUL and C0/C1 controls but allows tab, newline and CJK', () => {
    expect(controlCharacterAt('避难\u0000场所')).toBe(2);
    expect(describeControlCharacter('ab\u001bc')).toBe('control character U+001B at character 3');
    expect(describeControlCharacter('a\u0085')).toBe('control character U+0085 at character 2');
    expect(controlCharacterAt('第一行\n第二行\t𠮷\r')).toBe(-1);
  });
});

describe('inspectJson', () => {
  it('names the path of a control character and of too-deep nesting, without recursion', () => {
    expect(inspectJson({ a: [{ b: 'x\u0000' }] })).toEqual({ kind: 'control', path: 'a[0].b', what: 'control character U+0000 at character 2' });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inspectJson({ origins: deep })).toEqual({ kind: 'depth', path: `origins${'[0]'.repeat(MAX_JSON_DEPTH - 1)}` });
    let fine: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH - 1; i++) fine = [fine];
    expect(inspectJson({ fine })).toBeUndefined();
  });
});

describe('isoDateTime', () => {
  it('accepts real dates and times, refuses impossible ones that Date would roll over', () => {
    expect(isoDateTime('2026-07-01')?.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(isoDateTime('2026-07-01T08:00:00+08:00')?.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(isoDateTime('2028-02-29')).toBeDefined();
    for (const bad of ['2026-02-30', '2027-02-29', '2026-13-01', '2026-04-31', '2026-07-01T24:00', '2026-07-01T08:60', '2026-7-1', '2026-07-01garbage', '']) {
      expect(isoDateTime(bad), bad).toBeUndefined();
    }
  });
});

describe('secrets in the log', () => {
  it('scrubs credential-like query parameters and headers, keeps the rest', () => {
    expect(scrubUrl('/api/layers?token=abc&bbox=1,2,3,4&tk=k1&api_key=zz')).toBe('/api/layers?token=[Redacted]&bbox=1,2,3,4&tk=[Redacted]&api_key=[Redacted]');
    expect(scrubUrl('/api/layers/shelters/features')).toBe('/api/layers/shelters/features');
    const r = scrubRequest({ url: '/x?access_token=s3cret', headers: { 'x-api-key': 'k', authorization: 'Bearer t', accept: 'text/html' } });
    expect(JSON.stringify(r)).not.toMatch(/s3cret|"k"|Bearer t/);
    expect(r.headers?.accept).toBe('text/html');
  });
});

describe('tokens', () => {
  it('refuses a short ADMIN_TOKEN or COMMANDER_TOKEN at start-up, naming the variable', () => {
    expect(() => readConfig({ ADMIN_TOKEN: 'a' })).toThrow(ConfigError);
    expect(() => readConfig({ ADMIN_TOKEN: 'a' })).toThrow(/ADMIN_TOKEN has 1 characters; use at least 16/);
    expect(() => readConfig({ COMMANDER_TOKEN: 'short token here!' })).toThrow(/COMMANDER_TOKEN must not contain spaces/);
    expect(readConfig({ ADMIN_TOKEN: '0123456789abcdef' }).users.map((u) => u.name)).toEqual(['admin']);
    expect(() => readConfig({ RATE_LIMIT_SIGNIN: '-1' })).toThrow(/RATE_LIMIT_SIGNIN/);
  });
});

describe('zip bombs', () => {
  it('checks the ratio of every entry and of the whole archive, so many small entries cannot add up to a bomb', () => {
    const zeros = (n: number) => new Uint8Array(n);
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 40; i++) many[`part${i}.csv`] = zeros(60 * 1024);
    expect(() => unzipEntries(zipEntries(many), 'many.zip')).toThrow(ReadError);
    expect(() => unzipEntries(zipEntries(many), 'many.zip')).toThrow(/first \d+ entries would expand \d+ times/);
    expect(() => unzipEntries(zipEntries({ 'one.dbf': zeros(2 * 1024 * 1024) }), 'one.zip')).toThrow(/"one\.dbf" would expand/);
    const text = new TextEncoder().encode('名称,经度,纬度\n'.repeat(2000));
    expect(unzipEntries(zipEntries({ 'ok.csv': text, 'blank.dbf': zeros(32 * 1024) }), 'ok.zip').get('ok.csv')).toEqual(text);
  });
});

describe('upload folders left by a crash', () => {
  it('removes the folders of dead processes and keeps those of live ones', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-stale-test-'));
    try {
      const dead = path.join(tmp, 'onemap-import-999999999-abc');
      const live = path.join(tmp, `onemap-import-${process.pid}-def`);
      const other = path.join(tmp, 'something-else');
      for (const d of [dead, live, other]) fs.mkdirSync(d);
      fs.writeFileSync(path.join(dead, 'upload'), 'x');
      expect(await removeStaleUploads(tmp)).toBe(1);
      expect([fs.existsSync(dead), fs.existsSync(live), fs.existsSync(other)]).toEqual([false, true, true]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
