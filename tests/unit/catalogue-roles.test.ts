import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findLayer,
  isDemo,
  isInService,
  isPlanned,
  LAYERS,
  layerWithRole,
  SHELTER_CLASSES,
  type LayerRole,
} from '../../core/catalogue/index.js';
import { SHELTER_AREA_PER_PERSON, SHELTER_SERVICE_RADIUS_M } from '../../core/standards.js';

const layer = (id: string) => findLayer(id)!;

describe('catalogue roles and rules', () => {
  it('has exactly one layer per role, and every field a role names exists on that layer', () => {
    for (const role of ['boundary', 'population', 'network', 'hazard_zone'] as LayerRole[]) {
      expect(LAYERS.filter((l) => l.roles?.[role]), role).toHaveLength(1);
      const l = layerWithRole(role);
      const names = Object.values(l.roles[role]!).filter((v) => l.fields.some((f) => f.name === v));
      const fields = role === 'boundary' ? ['code', 'name', 'level', 'countyCode'] : Object.keys(l.roles[role]!);
      expect(names.length, role).toBeGreaterThanOrEqual(fields.length);
    }
    expect(layerWithRole('boundary').id).toBe('admin_units');
    expect(layerWithRole('population').id).toBe('admin_units');
    expect(layerWithRole('network').id).toBe('roads');
    expect(layerWithRole('hazard_zone').id).toBe('hazard_zones');
    // The zone's hazards are the shelters' (a zone rules shelters out for its hazard), plus other zoning.
    const zoneHazards = layerWithRole('hazard_zone').fields.find((f) => f.name === layerWithRole('hazard_zone').roles.hazard_zone.hazard)!.options!.map((o) => o.value);
    const shelterHazards = layer('shelters').fields.find((f) => f.name === 'hazards')!.options!.map((o) => o.value);
    expect(zoneHazards.filter((h) => h !== 'other').sort()).toEqual([...shelterHazards].sort());
    const b = layerWithRole('boundary').roles.boundary;
    const levels = layerWithRole('boundary').fields.find((f) => f.name === b.level)!.options!.map((o) => o.value);
    expect(levels).toEqual([b.county, b.town]);
  });

  it('says which facilities serve today: shelters open or full; depots and stations unless planned', () => {
    const shelters = layer('shelters');
    expect(['open', 'full', 'closed', 'planned', undefined].map((status) => isInService(shelters, { status }))).toEqual([true, true, false, false, false]);
    for (const id of ['depots', 'fire_stations']) {
      expect(['in_service', 'planned', undefined].map((status) => isInService(layer(id), { status })), id).toEqual([true, false, true]);
      expect(isPlanned(layer(id), { status: 'planned' })).toBe(true);
      expect(isPlanned(layer(id), { status: 'in_service' })).toBe(false);
    }
    expect(isInService(layer('rescue_teams'), {})).toBe(true);
    expect(isPlanned(layer('rescue_teams'), { status: 'planned' })).toBe(false);
    // Every rule names an enum field whose options hold its values.
    for (const l of LAYERS.filter((x) => x.service)) {
      const options = l.fields.find((f) => f.name === l.service!.field)!.options!.map((o) => o.value);
      for (const v of [...(l.service!.inService ?? []), ...(l.service!.notInService ?? []), l.service!.planned]) expect(options, l.id).toContain(v);
    }
  });

  it('marks demo records by their source', () => {
    expect(isDemo({ source: 'demo: 江北区 plan' })).toBe(true);
    expect(isDemo({ source: '区应急局 2024 普查' })).toBe(false);
    expect(isDemo({})).toBe(false);
  });

  it('defines the shelter classes once: the catalogue options and the standards tables agree', () => {
    const options = layer('shelters').fields.find((f) => f.name === 'class')!.options!.map((o) => o.value);
    expect(options).toEqual(SHELTER_CLASSES);
    expect(Object.keys(SHELTER_AREA_PER_PERSON).sort()).toEqual([...SHELTER_CLASSES].sort());
    expect(Object.keys(SHELTER_SERVICE_RADIUS_M).sort()).toEqual([...SHELTER_CLASSES].sort());
  });

  it('carries the import header aliases on the fields', () => {
    const aliases = (id: string, name: string) => layer(id).fields.find((f) => f.name === name)!.aliases;
    expect(aliases('shelters', 'capacity')).toContain('可容纳人数');
    expect(aliases('fire_stations', 'type')).toContain('类型');
    expect(aliases('depots', 'contact')).toContain('负责人');
    expect(aliases('shelters', 'hazards')).toContain('避灾种类');
    expect(aliases('shelters', 'capacity')).toContain('避难所容纳人数');
    expect(aliases('fire_stations', 'type')).toContain('消防站类型');
  });
});

/**
 * No layer id that carries a role, and no role marker, is written outside the catalogue: the
 * server finds them through core/catalogue/roles.ts.
 */
describe('no hard-coded role-bearing layer ids or markers outside core/catalogue', () => {
  const ROOTS = ['server', 'core', 'seeds', 'client/src'];
  const PATTERNS: [string, RegExp][] = [
    ['boundary layer id', /['"`]admin_units['"`]/],
    ['road layer id', /['"`]roads['"`]/],
    ['hazard-zone layer id', /['"`]hazard_zones['"`]/],
    ['demo marker', /LIKE\s+'demo%'|startsWith\(\s*'demo'\s*\)/],
    ['in-service status value', /['"`]in_service['"`]/],
  ];
  // Files where these strings are data or where the rewrite is someone else's until the merge.
  const ALLOW: Record<string, string> = {
    'seeds/demo/fire-stations.ts': 'data: generated records carry a status',
    'seeds/demo/depots.ts': 'data: generated records carry a status',
  };
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? files(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
    });

  it('finds none outside the allowlist, and every allowlisted file still needs its entry', () => {
    const found: string[] = [];
    const allowed = new Set<string>();
    for (const file of ROOTS.flatMap(files)) {
      const rel = file.split(path.sep).join('/');
      if (rel.startsWith('core/catalogue/')) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const [what, re] of PATTERNS) {
        if (!re.test(text)) continue;
        if (ALLOW[rel]) allowed.add(rel);
        else found.push(`${rel}: ${what}`);
      }
    }
    expect(found).toEqual([]);
    expect(Object.keys(ALLOW).filter((f) => !allowed.has(f)), 'stale allowlist entries').toEqual([]);
  });
});
