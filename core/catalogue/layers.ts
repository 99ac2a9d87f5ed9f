import type { EnumOption, FieldDef, LayerDef, ServiceRule } from './types.js';

/**
 * Header words bureaus' spreadsheets use, by field name (matched after the field's own name and
 * labels). A word may stand for several fields; each layer takes the field it has (类型 is `class`
 * for shelters, `type` for fire stations, `level` for depots).
 */
const ALIASES: Record<string, string[]> = {
  name: ['名称', '场所名称', '单位名称', '避难场所名称'],
  address: ['地址', '详细地址', '位置'],
  capacity: ['容纳人数', '可容纳人数', '容量', '设计容纳人数'],
  area_m2: ['面积', '有效面积', '有效避难面积', '避难面积'],
  class: ['类别', '类型', '级别', '等级'],
  type: ['类别', '类型'],
  level: ['类别', '类型', '级别', '等级'],
  status: ['状态', '使用状态'],
  phone: ['联系电话', '电话', '手机'],
  manager: ['管理人', '负责人', '联系人'],
  contact: ['管理人', '负责人', '联系人'],
  town: ['乡镇', '街道', '所属乡镇', '乡镇（街道）'],
  county_code: ['区县代码', '行政区划代码'],
  code: ['行政区划代码'],
  hazards: ['灾种', '适用灾种'],
  facilities: ['设施', '配套设施'],
  source: ['来源', '数据来源'],
};

const f = (
  name: string,
  type: FieldDef['type'],
  zh: string,
  en: string,
  extra: Partial<FieldDef> = {},
): FieldDef => ({ name, type, label: { zh, en }, access: 'public', ...(ALIASES[name] ? { aliases: ALIASES[name] } : {}), ...extra });

/** Shelter classes of GB 51143-2015 §3.1 / GB 21734-2008, in the catalogue's order; the standards' tables are keyed by them. */
export type ShelterClass = 'emergency' | 'fixed_short' | 'fixed_medium' | 'fixed_long' | 'central';
export const SHELTER_CLASSES: ShelterClass[] = ['emergency', 'fixed_short', 'fixed_medium', 'fixed_long', 'central'];

/** The field every record carries its origin in; generated demo records say `demo…` there. */
export const SOURCE_FIELD = 'source';
export const DEMO_SOURCE_PREFIX = 'demo';

/** The field every located facility layer names its county in (filled from the boundary layer). */
export const COUNTY_FIELD = 'county_code';

/** Depots and fire stations: everything not planned serves (a record without a status too). */
const notPlanned: ServiceRule = { field: 'status', notInService: ['planned'], planned: 'planned' };

const internal = { access: 'internal' } as const;
const persons = { unit: { zh: '人', en: 'persons' } };
const opt = (value: string, zh: string, en: string, color?: string): EnumOption => ({ value, zh, en, color });
const item = (value: string, zh: string, en: string, unitZh: string, unitEn: string): EnumOption => ({
  value,
  zh,
  en,
  unit: { zh: unitZh, en: unitEn },
});

/** Relief-supply kinds a depot stocks (the 救灾物资 the plans name: tents, quilts, flood and fire kit). */
export const RELIEF_ITEMS: EnumOption[] = [
  item('tent', '救灾帐篷', 'tents', '顶', 'tents'),
  item('quilt', '棉被', 'quilts', '床', 'quilts'),
  item('folding_bed', '折叠床', 'folding beds', '张', 'beds'),
  item('clothing', '棉衣', 'winter clothing', '件', 'pieces'),
  item('flood_sack', '编织袋（防汛）', 'flood sacks', '条', 'sacks'),
  item('life_jacket', '救生衣', 'life jackets', '件', 'jackets'),
  item('assault_boat', '冲锋舟', 'assault boats', '艘', 'boats'),
  item('generator', '发电机', 'generators', '台', 'sets'),
  item('pump', '抽水泵', 'water pumps', '台', 'pumps'),
  item('lighting', '照明灯具', 'floodlights', '套', 'sets'),
  item('fire_kit', '森林灭火机具', 'forest fire kit', '套', 'sets'),
  item('drinking_water', '饮用水', 'drinking water', '箱', 'cases'),
  item('food', '方便食品', 'ready meals', '箱', 'cases'),
];

/** Fields every resource layer carries: where it is administratively, and where the record comes from. */
const placeFields: FieldDef[] = [
  f('name', 'string', '名称', 'Name', { search: true }),
  f('address', 'string', '地址', 'Address', { search: true }),
  f(COUNTY_FIELD, 'string', '区县代码', 'County code', { filter: true }),
  f('town', 'string', '乡镇（街道）', 'Town / street', { filter: true, search: true }),
];

const statusOptions = [
  opt('in_service', '在用', 'in service', '#2e7d32'),
  opt('planned', '规划', 'planned', '#9e9e9e'),
];

/**
 * Where a record comes from (a plan sentence, an import file, manual entry): internal on every
 * layer, because it names internal files; the public learns that data is demo from /api/config.
 */
const sourceField = f(SOURCE_FIELD, 'string', '数据来源', 'Source', { filter: true, ...internal });

/** Hazards a shelter can be used for; also the hazard types of the suitability analysis. */
export const HAZARDS: EnumOption[] = [
  opt('earthquake', '地震', 'earthquake'),
  opt('flood', '洪涝', 'flood'),
  opt('geohazard', '地质灾害', 'geohazard'),
  opt('fire', '火灾', 'fire'),
  opt('extreme_weather', '极端天气', 'extreme weather'),
];

/** Road classes of the routing graph (OpenStreetMap `highway` values; speeds in core/network/graph.ts). */
const ROAD_CLASS_OPTIONS: EnumOption[] = [
  opt('motorway', '高速公路', 'motorway', '#d84315'),
  opt('trunk', '一级公路/快速路', 'trunk', '#ef6c00'),
  opt('primary', '主干道', 'primary', '#f9a825'),
  opt('secondary', '次干道', 'secondary', '#fdd835'),
  opt('tertiary', '支路/四级公路', 'tertiary', '#9e9e9e'),
  opt('residential', '街巷', 'residential', '#bdbdbd'),
  opt('unclassified', '其他道路', 'unclassified', '#bdbdbd'),
  opt('track', '机耕道', 'track', '#a1887f'),
  opt('service', '专用道路', 'service', '#bdbdbd'),
  opt('path', '步道', 'path', '#8d6e63'),
];

const SHELTER_CLASS_OPTIONS: Record<ShelterClass, EnumOption> = {
  emergency: opt('emergency', '紧急避难场所', 'emergency', '#66bb6a'),
  fixed_short: opt('fixed_short', '固定避难场所（短期）', 'fixed, short-term', '#43a047'),
  fixed_medium: opt('fixed_medium', '固定避难场所（中期）', 'fixed, medium-term', '#2e7d32'),
  fixed_long: opt('fixed_long', '固定避难场所（长期）', 'fixed, long-term', '#1b5e20'),
  central: opt('central', '中心避难场所', 'central', '#004d40'),
};

export const LAYERS: LayerDef[] = [
  {
    id: 'admin_units',
    name: { zh: '行政区划', en: 'Administrative units' },
    description: {
      zh: '五个区县及其乡镇（街道）；区县人口为第七次人口普查数据，乡镇人口为演示分配',
      en: 'The five districts/counties and their towns/streets; county population from the 2020 census, town split is demo',
    },
    geometry: 'Polygon',
    access: 'public',
    visible: true,
    order: 0,
    symbol: { color: '#5c6bc0', by: 'level' },
    roles: {
      boundary: { code: 'code', name: 'name', level: 'level', county: 'county', town: 'town', countyCode: COUNTY_FIELD },
      population: { field: 'population' },
    },
    fields: [
      f('code', 'string', '行政区划代码', 'Admin code', { search: true, filter: true }),
      f('name', 'string', '名称', 'Name', { search: true }),
      f('level', 'enum', '级别', 'Level', {
        filter: true,
        options: [opt('county', '区县', 'district/county', '#3949ab'), opt('town', '乡镇（街道）', 'town/street', '#7986cb')],
      }),
      f(COUNTY_FIELD, 'string', '所属区县代码', 'County code', { filter: true }),
      f('population', 'integer', '常住人口', 'Resident population', persons),
      f('population_source', 'string', '人口来源', 'Population source'),
      sourceField,
    ],
  },
  {
    id: 'shelters',
    name: { zh: '应急避难场所', en: 'Emergency shelters' },
    description: {
      zh: '按 GB 51143-2015 分级的应急避难场所，含有效避难面积与容纳人数',
      en: 'Emergency shelters classed per GB 51143-2015, with effective area and capacity',
    },
    geometry: 'Point',
    access: 'public',
    visible: true,
    order: 50,
    symbol: { color: '#2e7d32', by: 'class', radius: 7, glyph: '避' },
    // A full shelter still serves the people already in it; closed and planned ones do not.
    service: { field: 'status', inService: ['open', 'full'], planned: 'planned' },
    fields: [
      ...placeFields,
      f('class', 'enum', '场所类别', 'Class', {
        filter: true,
        basis: 'GB 51143-2015 §3.1 / GB 21734-2008',
        options: SHELTER_CLASSES.map((c) => SHELTER_CLASS_OPTIONS[c]),
      }),
      f('area_m2', 'number', '有效避难面积', 'Effective area', { unit: { zh: 'm²', en: 'm²' }, basis: 'GB 51143-2015 §2.1.7' }),
      f('capacity', 'integer', '容纳人数', 'Capacity', persons),
      f('hazards', 'enum[]', '适用灾种', 'Suitable for hazards', { filter: true, options: HAZARDS }),
      f('facilities', 'enum[]', '配套设施', 'Facilities', {
        options: [
          opt('water', '应急供水', 'water'),
          opt('power', '应急供电', 'power'),
          opt('toilet', '应急厕所', 'toilets'),
          opt('medical', '医疗救护', 'medical'),
          opt('broadcast', '应急广播', 'broadcast'),
          opt('storage', '物资储备', 'supplies'),
          opt('fire', '消防设施', 'fire fighting'),
        ],
      }),
      f('accessibility', 'enum[]', '无障碍与便利', 'Accessibility', {
        filter: true,
        basis: 'GB 50763-2012《无障碍设计规范》',
        options: [
          opt('wheelchair', '无障碍通道', 'wheelchair access'),
          opt('accessible_toilet', '无障碍厕所', 'accessible toilet'),
          opt('tactile_paving', '盲道', 'tactile paving'),
          opt('pets_allowed', '可携带宠物', 'pets allowed'),
          opt('indoor', '室内场所', 'indoor space'),
        ],
      }),
      f('status', 'enum', '状态', 'Status', {
        filter: true,
        options: [
          opt('open', '开放', 'open', '#2e7d32'),
          opt('full', '已满', 'full', '#f9a825'),
          opt('closed', '关闭', 'closed', '#c62828'),
          opt('planned', '规划', 'planned', '#9e9e9e'),
        ],
      }),
      f('manager', 'string', '管理人', 'Manager', internal),
      f('phone', 'string', '联系电话', 'Phone', internal),
      sourceField,
    ],
  },
  {
    id: 'depots',
    name: { zh: '物资储备库', en: 'Relief-supply depots' },
    description: {
      zh: '区县、乡镇（街道）、社区三级应急物资储备库及库存',
      en: 'Relief-supply reserve depots at county, town and community level, with inventory',
    },
    geometry: 'Point',
    access: 'internal',
    visible: true,
    order: 40,
    symbol: { color: '#ef6c00', by: 'level', radius: 7, glyph: '储' },
    service: notPlanned,
    fields: [
      ...placeFields,
      f('level', 'enum', '级别', 'Level', {
        filter: true,
        options: [
          opt('county', '区县级', 'county', '#e65100'),
          opt('town', '乡镇（街道）级', 'town/street', '#fb8c00'),
          opt('community', '村（社区）级', 'community', '#ffb74d'),
        ],
      }),
      f('inventory', 'items', '库存物资', 'Inventory', { ...internal, options: RELIEF_ITEMS }),
      // Derived from the inventory (core/incident/supply.ts supplyPersonsOf): the persons the stock
      // gives the whole basic kit at the Sphere 2018 per-person rates, first day — the scarcest item decides.
      f('supply_persons', 'integer', '可保障人数', 'Persons it can supply', {
        ...persons,
        ...internal,
        basis: 'Sphere Handbook 2018：各物资库存 ÷ 人均定额，取最小 / stock ÷ per-person rate, scarcest item',
      }),
      f('status', 'enum', '状态', 'Status', { filter: true, options: statusOptions }),
      f('contact', 'string', '联系人', 'Contact', internal),
      f('phone', 'string', '联系电话', 'Phone', internal),
      sourceField,
    ],
  },
  {
    id: 'fire_stations',
    name: { zh: '消防站', en: 'Fire stations' },
    description: {
      zh: '按建标152-2017 分类的消防站，含微型消防站（社区应急救援站）',
      en: 'Fire stations classed per 建标152-2017, including micro stations',
    },
    geometry: 'Point',
    access: 'internal',
    visible: true,
    order: 45,
    symbol: { color: '#c62828', by: 'type', radius: 6, glyph: '消' },
    service: notPlanned,
    fields: [
      ...placeFields,
      f('type', 'enum', '类型', 'Type', {
        filter: true,
        basis: { zh: '建标152-2017 第3条 / GB 51080-2015 §4.1', en: 'Jianbiao 152-2017 art. 3 / GB 51080-2015 §4.1' },
        options: [
          opt('special', '特勤消防站', 'special service', '#7f0000'),
          opt('class1', '一级普通消防站', 'class 1', '#b71c1c'),
          opt('class2', '二级普通消防站', 'class 2', '#e53935'),
          opt('small', '小型普通消防站', 'small', '#ef5350'),
          opt('professional', '专职消防队', 'full-time brigade', '#ff7043'),
          opt('micro', '微型消防站', 'micro station', '#ffab91'),
        ],
      }),
      f('vehicles', 'integer', '消防车辆', 'Fire engines', { unit: { zh: '辆', en: 'vehicles' } }),
      f('personnel', 'integer', '人员', 'Personnel', persons),
      f('status', 'enum', '状态', 'Status', { filter: true, options: statusOptions }),
      f('phone', 'string', '值班电话', 'Duty phone', internal),
      sourceField,
    ],
  },
  {
    id: 'rescue_teams',
    name: { zh: '救援队伍', en: 'Rescue teams' },
    description: { zh: '综合、专业和社会应急救援队伍', en: 'Comprehensive, specialist and volunteer rescue teams' },
    geometry: 'Point',
    access: 'internal',
    visible: false,
    order: 44,
    symbol: { color: '#1565c0', by: 'type', radius: 6, glyph: '救' },
    fields: [
      ...placeFields,
      f('type', 'enum', '队伍类型', 'Team type', {
        filter: true,
        options: [
          opt('comprehensive', '综合应急救援队', 'comprehensive', '#0d47a1'),
          opt('professional', '专业救援队', 'specialist', '#1e88e5'),
          opt('social', '社会救援力量', 'volunteer / NGO', '#64b5f6'),
        ],
      }),
      f('specialty', 'enum', '专业方向', 'Specialty', {
        filter: true,
        options: [
          opt('general', '综合救援', 'general rescue'),
          opt('flood', '防汛抢险', 'flood'),
          opt('mountain', '山地搜救', 'mountain search'),
          opt('forest_fire', '森林灭火', 'forest fire'),
          opt('geohazard', '地质灾害', 'geohazard'),
          opt('hazmat', '危化品', 'hazmat'),
          opt('mine', '矿山救援', 'mine rescue'),
          opt('medical', '医疗救护', 'medical'),
          opt('water', '水上救援', 'water rescue'),
        ],
      }),
      f('members', 'integer', '队员人数', 'Members', persons),
      f('equipment', 'string', '主要装备', 'Main equipment', internal),
      f('contact', 'string', '联系人', 'Contact', internal),
      f('phone', 'string', '联系电话', 'Phone', internal),
      sourceField,
    ],
  },
  {
    id: 'geohazards',
    name: { zh: '地质灾害隐患点', en: 'Geological-hazard points' },
    description: {
      zh: '滑坡、崩塌、泥石流等地质灾害隐患点及群测群防信息',
      en: 'Landslide, rockfall, debris-flow and other geohazard points with community monitoring',
    },
    geometry: 'Point',
    access: 'internal',
    visible: false,
    order: 30,
    symbol: { color: '#6d4c41', by: 'risk', radius: 5, glyph: '灾' },
    fields: [
      ...placeFields,
      f('type', 'enum', '灾种类型', 'Hazard type', {
        filter: true,
        options: [
          opt('landslide', '滑坡', 'landslide', '#8d6e63'),
          opt('collapse', '崩塌（危岩）', 'rockfall / collapse', '#a1887f'),
          opt('debris_flow', '泥石流', 'debris flow', '#5d4037'),
          opt('subsidence', '地面塌陷', 'ground subsidence', '#bcaaa4'),
          opt('unstable_slope', '不稳定斜坡', 'unstable slope', '#d7ccc8'),
        ],
      }),
      f('scale', 'enum', '规模等级', 'Scale', {
        filter: true,
        options: [opt('small', '小型', 'small'), opt('medium', '中型', 'medium'), opt('large', '大型', 'large'), opt('huge', '特大型', 'very large')],
      }),
      f('threatened_persons', 'integer', '威胁人数', 'Persons threatened', persons),
      f('threatened_property', 'number', '威胁财产', 'Property threatened', { unit: { zh: '万元', en: '10k CNY' } }),
      f('risk', 'enum', '风险等级', 'Risk level', {
        filter: true,
        options: [
          opt('low', '低', 'low', '#fdd835'),
          opt('medium', '中', 'medium', '#fb8c00'),
          opt('high', '高', 'high', '#e53935'),
          opt('very_high', '极高', 'very high', '#880e4f'),
        ],
      }),
      f('monitor', 'string', '群测群防员', 'Community monitor', internal),
      f('monitor_phone', 'string', '监测员电话', 'Monitor phone', internal),
      f('status', 'enum', '状态', 'Status', {
        filter: true,
        options: [opt('active', '在册监测', 'monitored'), opt('treated', '已治理', 'engineered'), opt('relocated', '已搬迁避让', 'relocated')],
      }),
      sourceField,
    ],
  },
  {
    id: 'roads',
    name: { zh: '道路网络', en: 'Road network' },
    description: {
      zh: '路径分析（等时圈、消防覆盖、物资可达）所用的道路网络，含等级、车速和单行',
      en: 'The road network the analyses route on (isochrones, fire coverage, relief reach): class, speed, one-way',
    },
    geometry: 'LineString',
    // Road geometry with name and class is public geography (it is on every map); the public
    // shelter finder walks on it and draws it for orientation.
    access: 'public',
    visible: false,
    order: 10,
    symbol: { color: '#9e9e9e', by: 'class' },
    roles: { network: { class: 'class', speed: 'speed_kmh', oneway: 'oneway' } },
    fields: [
      f('name', 'string', '道路名称', 'Name', { search: true }),
      f('class', 'enum', '道路等级', 'Class', {
        filter: true,
        options: ROAD_CLASS_OPTIONS,
        basis: { zh: 'JTG B01-2014 §3.5.1 / CJJ 37-2012 §3.2.1（默认车速）', en: 'JTG B01-2014 §3.5.1 / CJJ 37-2012 §3.2.1 (default speeds)' },
        aliases: [...ALIASES.class, 'highway'],
      }),
      f('speed_kmh', 'number', '车速', 'Speed', { unit: { zh: 'km/h', en: 'km/h' }, aliases: ['maxspeed', '限速'] }),
      f('oneway', 'enum', '单行', 'One-way', {
        options: [opt('yes', '按绘制方向单行', 'one-way, drawn direction'), opt('no', '双向', 'two-way'), opt('-1', '逆绘制方向单行', 'one-way, against drawn direction')],
      }),
      // OpenStreetMap levels: under connectivity=osm, ways on different levels do not meet mid-way (core/network/graph.ts).
      f('layer', 'string', '层（OSM）', 'Layer (OSM)'),
      f('bridge', 'string', '桥梁（OSM）', 'Bridge (OSM)'),
      f('tunnel', 'string', '隧道（OSM）', 'Tunnel (OSM)'),
      f(COUNTY_FIELD, 'string', '区县代码', 'County code', { filter: true }),
      sourceField,
    ],
  },
];
