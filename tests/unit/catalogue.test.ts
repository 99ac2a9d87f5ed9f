import { describe, expect, it } from 'vitest';
import { LAYERS, fieldsFor, layerFor, layersFor, projectProperties } from '../../core/catalogue/index.js';

describe('layer catalogue', () => {
  it('has the layers the one-map needs, with unique ids and field names', () => {
    expect(LAYERS.map((l) => l.id).sort()).toEqual(['admin_units', 'depots', 'fire_stations', 'geohazards', 'rescue_teams', 'roads', 'shelters']);
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

  it('shows the public only shelters, admin units and roads, without contacts or sources', () => {
    expect(layersFor('public').map((l) => l.id).sort()).toEqual(['admin_units', 'roads', 'shelters']);
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
