/**
 * The incident view's pure parts: how ETAs, distances and tiers read in Chinese and English, the
 * requests a draft makes (typed persons, area, closures, time), and the warning list as CSV.
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../client/src/i18n';
import { assessmentRequest, createBody, draftProblem, fromIncident, newDraft, parseLocalTime, patchBody, type IncidentDraft } from '../../client/src/incident/draft';
import { ratesWith } from '../../core/incident/supply';
import { distance, eta, rateSource, tierLabel } from '../../client/src/incident/format';
import { warningsCsv, warnRows } from '../../client/src/incident/warnings';

const i18nOf = (lang: 'zh' | 'en') => createI18n(lang);
const ZH = i18nOf('zh');
const EN = i18nOf('en');

describe('incident view formats', () => {
  it('writes ETAs in whole minutes below two hours, hours and minutes beyond', () => {
    expect(eta(23.4, ZH)).toBe('23 分钟');
    expect(eta(0.2, ZH)).toBe('0 分钟');
    expect(eta(119.4, ZH)).toBe('119 分钟');
    expect(eta(119.6, ZH)).toBe('2 小时');
    expect(eta(135, ZH)).toBe('2 小时 15 分钟');
    expect(eta(23.4, EN)).toBe('23 min');
    expect(eta(135, EN)).toBe('2 h 15 min');
  });

  it('writes road distances in metres below 1 km and kilometres to one decimal above', () => {
    expect(distance(737.4, ZH)).toBe('737 米');
    expect(distance(13_349, ZH)).toBe('13.3 公里');
    expect(distance(1_000, EN)).toBe('1 km');
  });

  it('cites each supply rate in the reader\'s language, and an overridden rate as the bureau\'s own norm', () => {
    const rates = ratesWith({ quilt: 2 });
    const zh = rates.map((r) => rateSource(r, ZH));
    expect(zh[0]).toBe('Sphere 手册（2018）住所与安置标准 3：人均有盖居住面积 3.5 m²；家庭帐篷 12 m²（MZ/T 011.1-2010）');
    expect(zh[1]).toBe('设置：本局自定标准');
    expect(zh[2]).toBe('Sphere 手册（2018）住所与安置标准 4：每人有睡具（垫、褥或床）');
    expect(zh[3]).toBe('Sphere 手册（2018）住所与安置标准 4：每人至少两套衣物；储备棉衣每人一件');
    expect(zh[4]).toBe('Sphere 手册（2018）供水标准 2.1：每人每天共 15 升，其中饮用 2.5–3 升；按每人每天 3 升、每箱 12 升计');
    expect(zh[5]).toBe('Sphere 手册（2018）粮食安全标准 6：每人每天 2,100 千卡；每箱按 8400 千卡计');
    // In English the citations read exactly as the API's source text.
    expect(rates.map((r) => rateSource(r, EN))).toEqual(rates.map((r) => r.source));
  });

  it('names the tier an ETA falls in, or says it is beyond the last', () => {
    expect(tierLabel(30, ZH)).toBe('≤30 分钟');
    expect(tierLabel(null, ZH)).toBe('超出时限');
    expect(tierLabel(120, EN)).toBe('≤120 min');
  });
});

describe('incident drafts', () => {
  const placed = (change: Partial<IncidentDraft>): IncidentDraft => ({ ...newDraft(), origin: [106.3, 29.9], ...change });

  it('asks for a place first, then assesses with the typed persons, the area and the closures', () => {
    expect(draftProblem(newDraft())).toBe('incNeedPlace');
    expect(assessmentRequest(newDraft())).toBeUndefined();
    const d = placed({ hazard: 'earthquake', affectedPersons: '3,000', crs: 'gcj02', closures: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [106.31, 29.91] }, properties: {} }] });
    expect(assessmentRequest(d)).toEqual({
      origin: [106.3, 29.9],
      crs: 'gcj02',
      hazard: 'earthquake',
      area: { radiusM: 1000 },
      affectedPersons: 3000,
      closures: { type: 'FeatureCollection', features: d.closures },
    });
  });

  it('estimates when no persons are typed, and refuses what is not a head count or an area', () => {
    expect(assessmentRequest(placed({ affectedPersons: '' }))).not.toHaveProperty('affectedPersons');
    expect(draftProblem(placed({ affectedPersons: '12.5' }))).toBe('incNeedPersons');
    expect(draftProblem(placed({ affectedPersons: '-3' }))).toBe('incNeedPersons');
    expect(draftProblem(placed({ areaValue: '0' }))).toBe('incNeedArea');
    expect(assessmentRequest(placed({ areaKind: 'driveMinutes', areaValue: '15' }))?.area).toEqual({ driveMinutes: 15 });
  });

  it('reads the time as typed local time; a bad time blocks saving, not assessing', () => {
    const t = parseLocalTime('2026-07-15 08:30')!;
    expect([t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes()]).toEqual([2026, 6, 15, 8, 30]);
    expect(parseLocalTime('2026-02-30 08:30')).toBeUndefined();
    expect(parseLocalTime('15/07/2026')).toBeUndefined();
    const d = placed({ occurredAt: 'yesterday' });
    expect(draftProblem(d)).toBeUndefined();
    expect(draftProblem(d, true)).toBe('incNeedTime');
    expect(createBody(placed({ occurredAt: '2026-07-15 08:30' }), 'x').occurredAt).toBe(t.toISOString());
  });

  it('round-trips a stored incident, and patches with its version and nulls for what was cleared', () => {
    const stored = fromIncident({
      id: 'i1',
      title: '草街街道地震',
      hazard: 'earthquake',
      lon: 106.3,
      lat: 29.9,
      crs: 'gcj02',
      county: '500117',
      occurredAt: new Date(2026, 6, 15, 8, 30).toISOString(),
      affectedPersons: null,
      area: { walkMinutes: 20 },
      closures: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[106.3, 29.9], [106.31, 29.9]] }, properties: {} }],
      notes: null,
      status: 'open',
      createdBy: 'commander',
      createdAt: '',
      updatedAt: '',
      closedAt: null,
      version: 3,
    });
    expect(stored).toMatchObject({ origin: [106.3, 29.9], crs: 'wgs84', occurredAt: '2026-07-15 08:30', affectedPersons: '', areaKind: 'walkMinutes', areaValue: '20', dirty: false });
    expect(stored.closures).toHaveLength(1);
    expect(patchBody({ ...stored, closures: [] }, '草街街道地震')).toEqual({
      version: 3,
      title: '草街街道地震',
      hazard: 'earthquake',
      occurredAt: new Date(2026, 6, 15, 8, 30).toISOString(),
      area: { walkMinutes: 20 },
      affectedPersons: null,
      closures: null,
    });
  });
});

describe('warning list', () => {
  it('lists towns, monitors and shelter managers as CSV with a BOM, CRLF and formula-safe text', () => {
    const rows = warnRows(
      {
        towns: [{ code: '500117001', name: '草街街道', population: 82097, residentsInArea: 16000 }],
        monitors: [{ name: '王五', phone: '023-0000-1111', geohazardId: 'g1', geohazardName: '=滑坡, 一号', town: '草街街道' }],
        shelterManagers: [{ name: '陈德明', phone: '023-0000-8427', shelterId: 's1', shelterName: '草街体育中心应急避难场所', town: '草街街道' }],
      },
      ZH,
    );
    expect(warningsCsv(rows, ZH)).toBe(
      '\uFEFF类别,名称,联系人,电话,乡镇（街道）,人口\r\n' +
        '乡镇（街道）,草街街道,,,草街街道,82097\r\n' +
        `群测群防员,"'=滑坡, 一号",王五,023-0000-1111,草街街道,\r\n` +
        '避难场所管理人,草街体育中心应急避难场所,陈德明,023-0000-8427,草街街道,\r\n',
    );
  });
});
