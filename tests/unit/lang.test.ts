/**
 * The reader's language and readable maps: server Notes rendered in zh-CN and English (an unknown
 * code shows as ⟦code⟧), durations in minutes below two hours, isochrone ring labels placed apart,
 * and polygon names moved off the point symbols drawn over them.
 */
import { describe, expect, it } from 'vitest';
import { ringLabelPositions } from '../../client/src/analyses/isochrone/layers';
import { createI18n } from '../../client/src/i18n';
import { formatDuration, formatHours } from '../../client/src/i18n/duration';
import { en, zh } from '../../client/src/i18n/messages';
import { noteText } from '../../client/src/i18n/notes';
import { declutter, type Label, type Labels } from '../../client/src/map/labelLayers';
import { note } from '../../core/note';
import { foreign } from '../e2e/english';
import type { Polygon, Position } from 'geojson';

const ZH = createI18n('zh');
const EN = createI18n('en');

describe('noteText', () => {
  it('says a known code in zh-CN and English, numbers formatted, params in place', () => {
    const n = note('import_duplicate_id', { id: 'd-2', earlier: 3 });
    expect(noteText(n, ZH)).toBe('编号“d-2”与第 3 行重复，后一行不导入');
    expect(noteText(n, EN)).toBe('id “d-2” repeats row 3; the later row is not imported');
    expect(noteText(note('projected_as_degrees', { count: 1234, points: 5000 }), ZH)).toMatch(/^5,000 个点中有 1,234 个/);
  });

  it('shows an unknown code as ⟦code⟧ rather than any English', () => {
    expect(noteText(note('no_such_code', { x: 1 }), ZH)).toBe('⟦no_such_code⟧');
    expect(noteText(note('no_such_code'), EN)).toBe('⟦no_such_code⟧');
  });

  it('lets the caller say a param itself (a catalogue value as its label)', () => {
    const n = note('shelter_not_in_use', { status: 'closed' });
    expect(noteText(n, ZH, { status: () => '关闭' })).toBe('状态为“关闭”，不在使用中');
  });

  it('has every note message in both languages', () => {
    const notes = Object.keys(zh).filter((k) => k.startsWith('note.'));
    expect(notes.length).toBeGreaterThan(50);
    for (const k of notes) expect(en[k as keyof typeof en], k).toBeTruthy();
  });
});

describe('formatDuration', () => {
  it('writes minutes below two hours, hours and minutes from two hours on', () => {
    expect(formatDuration(23, ZH)).toBe('23 分钟');
    expect(formatDuration(0.38 * 60, ZH)).toBe('23 分钟');
    expect(formatDuration(4.4, ZH)).toBe('4.4 分钟');
    expect(formatDuration(119.4, ZH)).toBe('119 分钟');
    expect(formatDuration(120, ZH)).toBe('2 小时');
    expect(formatDuration(135, ZH)).toBe('2 小时 15 分钟');
    expect(formatDuration(600, EN)).toBe('10 h');
    expect(formatDuration(45, EN)).toBe('45 min');
    expect(formatHours(0.38, ZH)).toBe('23 分钟');
    expect(formatHours(4, ZH)).toBe('4 小时');
    expect(formatDuration(Number.NaN, ZH)).toBe('—');
  });
});

const square = (r: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [-r, -r],
      [r, -r],
      [r, r],
      [-r, r],
      [-r, -r],
    ],
  ],
});

describe('isochrone ring labels', () => {
  it('sit on their own ring, apart: the smallest at the north, the next ones round to the east and west', () => {
    // Three nested squares around the origin; their northernmost points all lie on x = -r (the
    // first vertex found), which stacked the labels on one line before.
    const at = ringLabelPositions([square(0.01), square(0.02), square(0.03)], [0, 0]);
    expect(at[0][1]).toBe(0.01);
    expect(at[1]).toEqual([0.02, 0.02]);
    expect(at[2]).toEqual([-0.03, 0.03]);
    const gap = (a: Position, b: Position) => Math.hypot(a[0] - b[0], a[1] - b[1]);
    expect(gap(at[0], at[1])).toBeGreaterThan(0.01);
    expect(gap(at[1], at[2])).toBeGreaterThan(0.01);
  });
});

describe('label declutter', () => {
  // One pixel per 0.001°: a 12 px town name is 24 px wide for two characters.
  const project = (p: Position) => ({ x: p[0] * 1000, y: -p[1] * 1000 });
  const labels = (all: Label[]): Labels => ({ all, characters: [] });
  const town = (text: string, x: number, y: number, population: number): Label => ({ text, position: [x, y], major: false, population });

  it('moves a town name off a station symbol drawn where it stands', () => {
    const set = labels([town('石门', 0, 0, 100)]);
    const [placed] = declutter(set, 10, project, { key: 'stations', points: [{ position: [0, 0], radius: 10 }] });
    expect(placed.text).toBe('石门');
    // Above and below, a 12 px name (with its 6 px margin) still touches the 10 px symbol: it goes right.
    expect(placed.offset).toEqual([30, 0]);
    expect(declutter(labels([town('石门', 0, 0, 100)]), 10, project)[0].offset).toEqual([0, 0]);
  });

  it('keeps the more populous of two overlapping town names', () => {
    const set = labels([town('大镇', 0, 0, 5000), town('小镇', 0.005, 0, 100)]);
    expect(declutter(set, 10, project).map((l) => l.text)).toEqual(['大镇']);
  });
});

describe('the language test\'s English detector', () => {
  it('flags English sentences and ⟦codes⟧, not standard numbers, codes, units or names', () => {
    expect(foreign('依据 GB 51080-2015 §4.1.3，5 min 内到达；导入请选 crs=gcj02 或 EPSG:4545，PostGIS、GeoJSON、CSV；面积 12.5 km²')).toEqual([]);
    expect(foreign('合川：not declared suitable for flood')).toEqual(['not declared suitable for flood']);
    expect(foreign('人口分布：demo: road length within ~1 km')).toEqual(['demo: road length within']);
    expect(foreign('原因：⟦shelter_gone⟧')).toEqual(['⟦shelter_gone⟧']);
    expect(foreign('演示数据 demo data')).toEqual([]);
  });
});
