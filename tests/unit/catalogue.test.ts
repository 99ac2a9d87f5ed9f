import { describe, expect, it } from 'vitest';
import { EQUIPMENT_ITEMS, LAYERS, fieldsFor, findLayer, layerFor, layersFor, projectProperties, validateProperties } from '../../core/catalogue/index.js';

describe('layer catalogue', () => {
  it('has the layers the one-map needs, with unique ids and field names', () => {
    expect(LAYERS.map((l) => l.id).sort()).toEqual([
      'admin_units', 'depots', 'experts', 'fire_stations', 'geohazards', 'hazard_zones', 'rescue_teams', 'roads', 'shelters',
    ]);
    for (const layer of LAYERS) {
      const names = layer.fields.map((f) => f.name);
      expect(new Set(names).size, layer.id).toBe(names.length);
      expect(layer.name.zh && layer.name.en, layer.id).toBeTruthy();
      for (const f of layer.fields) expect(f.label.zh && f.label.en, `${layer.id}.${f.name}`).toBeTruthy();
    }
  });

  it('gives every enum field options and symbolises layers by an enum field whose options have colours', () => {
    for (const layer of LAYERS) {
      for (const f of layer.fields.filter((x) => x.type === 'enum' || x.type === 'enum[]')) {
        expect(f.options?.length, `${layer.id}.${f.name}`).toBeGreaterThan(1);
      }
      if (layer.symbol.by) {
        const by = layer.fields.find((f) => f.name === layer.symbol.by);
        expect(by?.type, layer.id).toBe('enum');
        for (const o of by!.options!) expect(o.color, `${layer.id}.${by!.name}=${o.value}`).toMatch(/^#[0-9a-f]{6}$/i);
      }
    }
  });

  it('follows the standards in its class lists', () => {
    const shelterClasses = LAYERS.find((l) => l.id === 'shelters')!.fields.find((f) => f.name === 'class')!.options!.map((o) => o.zh);
    expect(shelterClasses).toEqual(['紧急避难场所', '固定避难场所（短期）', '固定避难场所（中期）', '固定避难场所（长期）', '中心避难场所']);
    const stationTypes = LAYERS.find((l) => l.id === 'fire_stations')!.fields.find((f) => f.name === 'type')!.options!.map((o) => o.value);
    expect(stationTypes).toEqual(['special', 'class1', 'class2', 'small', 'professional', 'micro']);
  });

  it('shows the public only shelters, experts, hazard zones, admin units and roads, without contacts or sources', () => {
    expect(layersFor('public').map((l) => l.id).sort()).toEqual(['admin_units', 'experts', 'hazard_zones', 'roads', 'shelters']);
    expect(fieldsFor(layerFor('experts', 'public')!, 'public').map((f) => f.name)).toEqual(['name', 'specialty', 'title', 'unit', 'address', 'county_code', 'town']);
    expect(fieldsFor(layerFor('experts', 'commander')!, 'commander').map((f) => f.name)).toContain('phone');
    for (const layer of LAYERS) expect(fieldsFor(layer, 'public').map((f) => f.name), layer.id).not.toContain('source');
    expect(layersFor('commander')).toHaveLength(LAYERS.length);
    expect(layerFor('depots', 'public')).toBeUndefined();
    const shelters = layerFor('shelters', 'public')!;
    const publicNames = fieldsFor(shelters, 'public').map((f) => f.name);
    expect(publicNames).not.toContain('manager');
    expect(publicNames).not.toContain('phone');
    expect(fieldsFor(shelters, 'admin').map((f) => f.name)).toContain('phone');
  });

  it('projects properties to the fields a role may see, dropping unknown keys', () => {
    const shelters = layerFor('shelters', 'public')!;
    const props = { name: '观音桥广场', capacity: 5000, manager: '张三', phone: '023-1', source: 'demo: 004_江北.txt', secret: 1 };
    expect(projectProperties(shelters, 'public', props)).toEqual({ name: '观音桥广场', capacity: 5000 });
    expect(projectProperties(shelters, 'commander', props)).toEqual({ name: '观音桥广场', capacity: 5000, manager: '张三', phone: '023-1', source: 'demo: 004_江北.txt' });
  });
});

describe('GB/T 44013-2024 grade and classes, equipment lists (issue 14)', () => {
  const field = (layer: string, name: string) => findLayer(layer)!.fields.find((f) => f.name === name)!;

  it('grades shelters in the five levels of GB/T 44013-2024 and classes them beside GB 51143', () => {
    expect(field('shelters', 'grade').options!.map((o) => o.zh)).toEqual(['省级', '市级', '县级', '乡镇（街道）级', '村（社区）级']);
    expect(field('shelters', 'space_type').options!.map((o) => o.zh)).toEqual(['室内型', '室外型', '室内外结合']);
    expect(field('shelters', 'scope').options!.map((o) => o.zh)).toEqual(['综合性', '单一性（含特定）']);
    expect(field('shelters', 'duration').options!.map((o) => o.zh)).toEqual(['紧急', '短期', '长期']);
    for (const name of ['grade', 'space_type', 'scope', 'duration']) {
      const f = field('shelters', name);
      expect(f.basis, name).toMatch(/^GB\/T 44013-2024/);
      expect(f.filter, name).toBe(true);
      expect(f.access, name).toBe('public');
    }
    // The GB 51143 class stays: the standards' tables are keyed by it.
    expect(field('shelters', 'class').basis).toMatch(/GB 51143-2015/);
  });

  it('gives teams and stations equipment lists of the items type, internal like a depot inventory', () => {
    for (const layer of ['rescue_teams', 'fire_stations']) {
      const f = field(layer, 'equipment');
      expect(f.type, layer).toBe('items');
      expect(f.access, layer).toBe('internal');
      expect(f.options, layer).toBe(EQUIPMENT_ITEMS);
      for (const o of f.options!) expect(o.unit?.zh, `${layer} ${o.value}`).toBeTruthy();
    }
    expect(field('depots', 'inventory').type).toBe('items');
    const teams = findLayer('rescue_teams')!;
    expect(validateProperties(teams, { equipment: [{ item: 'assault_boat', quantity: 2 }] })).toEqual([]);
    expect(validateProperties(teams, { equipment: [{ item: 'tent', quantity: 2 }] })[0].reason).toMatch(/unknown item "tent"/);
    expect(field('fire_stations', 'vehicle_list').options!.map((o) => o.zh)).toContain('水罐消防车');
  });

  it('has hazard zones of a hazard and a level, and experts with an internal phone', () => {
    const zones = findLayer('hazard_zones')!;
    expect(zones.geometry).toBe('Polygon');
    expect(field('hazard_zones', 'kind').options!.map((o) => o.value)).toEqual(['flood_risk', 'geohazard_threat', 'risk_zoning']);
    expect(field('hazard_zones', 'level').options!.map((o) => o.value)).toEqual(['low', 'medium', 'high', 'very_high']);
    expect(field('experts', 'phone').access).toBe('internal');
    expect(findLayer('experts')!.geometry).toBe('Point');
  });
});
