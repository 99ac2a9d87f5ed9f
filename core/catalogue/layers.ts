import type { EnumOption, FieldDef, LayerDef, ServiceRule } from './types.js';

/**
 * Header words bureaus' spreadsheets use, by field name (matched after the field's own name and
 * labels; core/catalogue/columns.ts). A word may stand for several fields; each layer takes the
 * field it has (类型 is `class` for shelters, `type` for fire stations and depots; 等级 is a depot's
 * `level`). The census tables' headers are among them (core/catalogue/census.ts).
 */
const ALIASES: Record<string, string[]> = {
  name: ['名称', '场所名称', '单位名称', '避难场所名称'],
  address: ['地址', '详细地址', '位置'],
  capacity: ['容纳人数', '可容纳人数', '容量', '设计容纳人数', '避难所容纳人数'],
  area_m2: ['面积', '有效面积', '有效避难面积', '避难面积'],
  class: ['类别', '类型', '级别', '等级'],
  type: ['类别', '类型'],
  level: ['级别', '等级'],
  status: ['状态', '使用状态'],
  phone: ['联系电话', '电话', '手机'],
  manager: ['管理人', '负责人', '联系人', '管理人员'],
  contact: ['管理人', '负责人', '联系人'],
  town: ['乡镇', '街道', '所属乡镇', '乡镇（街道）'],
  county_code: ['区县代码', '行政区划代码'],
  code: ['行政区划代码'],
  // 避灾种类: the census table's header; 避难种类: the GB/T 44012-2024 term.
  hazards: ['灾种', '适用灾种', '避灾种类', '避难种类'],
  facilities: ['设施', '配套设施', '应急设施情况', '应急设施'],
  source: ['来源', '数据来源'],
};

/** A field; `extra.aliases` add to the shared header words of its name. */
const f = (name: string, type: FieldDef['type'], zh: string, en: string, extra: Partial<FieldDef> = {}): FieldDef => {
  const aliases = [...(ALIASES[name] ?? []), ...(extra.aliases ?? [])];
  return { name, type, label: { zh, en }, access: 'public', ...extra, ...(aliases.length ? { aliases } : {}) };
};

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
const item = (value: string, zh: string, en: string, unitZh: string, unitEn: string, aliases?: string[]): EnumOption => ({
  value,
  zh,
  en,
  unit: { zh: unitZh, en: unitEn },
  ...(aliases ? { aliases } : {}),
});

/**
 * Relief-supply kinds a depot stocks (the 救灾物资 the plans name: tents, quilts, flood and fire
 * kit). The first fifteen are the fixed item columns of the census's 救灾物资储备库（点） table, in
 * its order (core/catalogue/census.ts); a column headed by an item's label or alias fills it.
 */
export const RELIEF_ITEMS: EnumOption[] = [
  item('tent', '救灾帐篷', 'tents', '顶', 'tents', ['帐篷']),
  item('quilt', '棉被', 'quilts', '床', 'quilts'),
  item('clothing', '棉衣', 'winter clothing', '件', 'pieces', ['棉大衣']),
  item('blanket', '毛毯', 'blankets', '床', 'blankets'),
  item('sleeping_bag', '睡袋', 'sleeping bags', '个', 'bags'),
  item('folding_bed', '折叠床', 'folding beds', '张', 'beds'),
  item('toilet', '简易厕所', 'portable toilets', '个', 'toilets', ['移动厕所']),
  item('rubber_boat', '橡皮船', 'rubber boats', '艘', 'boats', ['橡皮艇']),
  item('assault_boat', '冲锋舟', 'assault boats', '艘', 'boats'),
  item('life_jacket', '救生衣', 'life jackets', '件', 'jackets'),
  item('life_buoy', '救生圈', 'life buoys', '个', 'buoys'),
  item('flood_sack', '编织袋（防汛）', 'flood sacks', '条', 'sacks', ['编织袋', '麻袋']),
  item('pump', '抽水泵', 'water pumps', '台', 'pumps', ['水泵']),
  item('generator', '发电机', 'generators', '台', 'sets', ['发电机组']),
  item('lighting', '应急灯', 'emergency lights', '套', 'sets', ['照明灯具', '照明设备']),
  item('fire_kit', '森林灭火机具', 'forest fire kit', '套', 'sets'),
  item('drinking_water', '饮用水', 'drinking water', '箱', 'cases'),
  item('food', '方便食品', 'ready meals', '箱', 'cases'),
];

/**
 * Rescue equipment a team or a fire station holds (its 装备, counted like a depot's inventory):
 * the kinds the plans and the census's 装备 columns name, by group — rescue, water, fire,
 * protection, detection, communication and power.
 */
export const EQUIPMENT_ITEMS: EnumOption[] = [
  item('breaking_tools', '破拆工具组', 'breaking and cutting tools', '套', 'sets', ['破拆工具']),
  item('life_detector', '生命探测仪', 'life detectors', '台', 'units'),
  item('lifting_airbag', '起重气垫', 'lifting airbags', '套', 'sets'),
  item('rope_rescue', '绳索救援装备', 'rope rescue kits', '套', 'sets'),
  item('assault_boat', '冲锋舟', 'assault boats', '艘', 'boats'),
  item('rubber_boat', '橡皮艇', 'rubber boats', '艘', 'boats', ['橡皮船']),
  item('diving_kit', '潜水装备', 'diving kits', '套', 'sets'),
  item('line_thrower', '抛投器', 'line throwers', '台', 'units'),
  item('life_jacket', '救生衣', 'life jackets', '件', 'jackets'),
  item('drainage_pump', '排涝泵', 'drainage pumps', '台', 'pumps', ['抽水泵', '水泵']),
  item('blower', '风力灭火机', 'fire blowers', '台', 'units'),
  item('chainsaw', '油锯', 'chainsaws', '台', 'units'),
  item('portable_pump', '森林消防水泵', 'portable fire pumps', '台', 'pumps'),
  item('breathing_apparatus', '正压式空气呼吸器', 'breathing apparatus', '套', 'sets', ['空气呼吸器', '呼吸器']),
  item('hazmat_suit', '防化服', 'chemical protective suits', '套', 'suits'),
  item('gas_detector', '气体检测仪', 'gas detectors', '台', 'units'),
  item('decontamination', '洗消设备', 'decontamination units', '套', 'sets'),
  item('drone', '无人机', 'drones', '架', 'drones'),
  item('satellite_phone', '卫星电话', 'satellite phones', '部', 'phones'),
  item('radio', '对讲机', 'radios', '部', 'radios'),
  item('generator', '发电机', 'generators', '台', 'sets', ['发电机组']),
  item('lighting', '照明设备', 'floodlights', '套', 'sets', ['移动照明灯组', '应急灯']),
  item('first_aid', '急救包', 'first-aid kits', '个', 'kits', ['急救箱']),
  item('stretcher', '担架', 'stretchers', '副', 'stretchers'),
];

/** Fire-service vehicles by kind (the census's 车辆 columns; GB 7956 names the kinds). */
export const FIRE_VEHICLES: EnumOption[] = [
  item('water_tender', '水罐消防车', 'water tenders', '辆', 'vehicles', ['水罐车']),
  item('foam_tender', '泡沫消防车', 'foam tenders', '辆', 'vehicles', ['泡沫车']),
  item('aerial', '举高消防车', 'aerial appliances', '辆', 'vehicles', ['登高平台消防车', '云梯消防车', '举高车']),
  item('rescue', '抢险救援消防车', 'rescue vehicles', '辆', 'vehicles', ['抢险救援车']),
  item('water_supply', '供水消防车', 'water supply vehicles', '辆', 'vehicles', ['供水车']),
  item('command', '通信指挥消防车', 'command vehicles', '辆', 'vehicles', ['指挥车', '通信指挥车']),
  item('support', '战勤保障消防车', 'logistics vehicles', '辆', 'vehicles', ['保障车']),
  item('other', '其他消防车', 'other fire vehicles', '辆', 'vehicles', ['其他车辆']),
];

/** Fields every resource layer carries: where it is administratively, and where the record comes from. */
const placeFields: FieldDef[] = [
  f('name', 'string', '名称', 'Name', { search: true, required: true }),
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
const sourceField = f(SOURCE_FIELD, 'string', '数据来源', 'Source', { filter: true, provenance: true, ...internal });

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

/** Where GB/T 44013-2024 grades and classes shelters (its chapters 4 分级 and 5 分类); terms per GB/T 44012-2024. */
export const SHELTER_GRADE_BASIS = 'GB/T 44013-2024《应急避难场所 分级及分类》第4章 分级';
const SHELTER_CLASSES_BASIS = 'GB/T 44013-2024《应急避难场所 分级及分类》第5章 分类（术语：GB/T 44012-2024）';

/** The five grades of GB/T 44013-2024, by the level of government that runs the shelter. */
const SHELTER_GRADES: EnumOption[] = [
  { ...opt('province', '省级', 'provincial', '#1a237e'), aliases: ['省级避难场所'] },
  { ...opt('city', '市级', 'city', '#283593'), aliases: ['市级避难场所'] },
  { ...opt('county', '县级', 'county', '#3949ab'), aliases: ['区县级', '区级', '县级避难场所'] },
  { ...opt('town', '乡镇（街道）级', 'town/street', '#5c6bc0'), aliases: ['乡镇级', '街道级'] },
  { ...opt('community', '村（社区）级', 'village/community', '#9fa8da'), aliases: ['村级', '社区级', '村（社区）'] },
];

/** The census table's and bureaus' word for these classes; the standard's term is the label. */
const SPACE_TYPES: EnumOption[] = [
  { ...opt('indoor', '室内型', 'indoor'), aliases: ['室内'] },
  { ...opt('outdoor', '室外型', 'outdoor'), aliases: ['室外'] },
  // Sites with both a hall and open ground: the census lists them as 室内+室外.
  { ...opt('both', '室内外结合', 'indoor and outdoor'), aliases: ['室内+室外', '室内、室外', '室内和室外'] },
];

const SHELTER_SCOPES: EnumOption[] = [
  { ...opt('comprehensive', '综合性', 'multi-hazard'), aliases: ['综合性避难场所', '综合'] },
  // 单一性 includes the standard's 特定避难场所 (anti-gas, blast, radiation shelters).
  { ...opt('single', '单一性（含特定）', 'single-hazard (incl. special-purpose)'), aliases: ['单一性', '特定', '单一'] },
];

// Census tables record the duration as days (3天, 15天, 30天以上): GB/T 44013-2024 puts 紧急 at up
// to 3 days, 短期 at up to 15 and 长期 beyond, so those entries name the class too.
const SHELTER_DURATIONS: EnumOption[] = [
  { ...opt('emergency', '紧急', 'emergency'), aliases: ['紧急避难场所', '紧急避难', '1天', '3天', '3天以内', '3天以下'] },
  { ...opt('short', '短期', 'short-term'), aliases: ['短期避难场所', '短期避难', '15天', '15天以内', '15天以下', '4-15天'] },
  { ...opt('long', '长期', 'long-term'), aliases: ['长期避难场所', '长期避难', '30天', '30天以上', '15天以上', '半年', '6个月'] },
];

/** Area in m² (the import converts 亩 and 公顷 headers). */
const squareMetres = { unit: { zh: 'm²', en: 'm²' } };

/** Hazard types of hazard zones: the shelters' hazards (a zone rules shelters out for them), and other zoning. */
export const ZONE_HAZARDS: EnumOption[] = [
  opt('flood', '洪涝', 'flood', '#1565c0'),
  opt('geohazard', '地质灾害', 'geohazard', '#6d4c41'),
  opt('earthquake', '地震', 'earthquake', '#8e24aa'),
  opt('fire', '森林火灾', 'forest fire', '#e64a19'),
  opt('extreme_weather', '极端天气', 'extreme weather', '#546e7a'),
  opt('other', '其他', 'other', '#9e9e9e'),
];

/** Risk levels of a zone, lowest first: the four of the census's risk zoning and of geohazard risk assessment. */
export const ZONE_LEVELS: EnumOption[] = [
  opt('low', '低风险', 'low', '#fff176'),
  opt('medium', '中风险', 'medium', '#ffb74d'),
  opt('high', '高风险', 'high', '#e53935'),
  opt('very_high', '极高风险', 'very high', '#880e4f'),
].map((o) => ({ ...o, aliases: [o.zh.replace('风险', ''), `${o.zh.replace('风险', '')}危险`] }));

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
      f('population_source', 'string', '人口来源', 'Population source', { provenance: true }),
      sourceField,
    ],
  },
  {
    id: 'shelters',
    name: { zh: '应急避难场所', en: 'Emergency shelters' },
    description: {
      zh: '应急避难场所：GB 51143-2015 类别与 GB/T 44013-2024 级别、分类，有效避难面积与容纳人数；标志见 GB/T 44014-2024',
      en: 'Emergency shelters: GB 51143-2015 class and GB/T 44013-2024 grade and classes, effective area and capacity; signs per GB/T 44014-2024',
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
      f('grade', 'enum', '场所级别', 'Grade', {
        filter: true,
        basis: SHELTER_GRADE_BASIS,
        options: SHELTER_GRADES,
        aliases: ['避难场所级别', '分级'],
      }),
      f('space_type', 'enum', '空间类型', 'Space type', {
        filter: true,
        basis: SHELTER_CLASSES_BASIS,
        options: SPACE_TYPES,
        aliases: ['室内/室外', '室内或室外', '场所类型'],
      }),
      f('scope', 'enum', '总体功能', 'Function', { filter: true, basis: SHELTER_CLASSES_BASIS, options: SHELTER_SCOPES, aliases: ['综合性/单一性', '功能类型'] }),
      f('duration', 'enum', '避难时长', 'Refuge duration', { filter: true, basis: SHELTER_CLASSES_BASIS, options: SHELTER_DURATIONS, aliases: ['避难期'] }),
      f('area_m2', 'number', '有效避难面积', 'Effective area', { ...squareMetres, basis: 'GB 51143-2015 §2.1.7' }),
      f('site_area_m2', 'number', '占地总面积', 'Site area', { ...squareMetres, aliases: ['占地面积', '总面积', '场地面积'] }),
      f('indoor_area_m2', 'number', '室内面积', 'Indoor area', { ...squareMetres, aliases: ['室内避难面积'] }),
      f('capacity', 'integer', '容纳人数', 'Capacity', persons),
      f('hazards', 'enum[]', '适用灾种', 'Suitable for hazards', { filter: true, options: HAZARDS }),
      f('facilities', 'enum[]', '配套设施', 'Facilities', {
        basis: 'GB/T 35624-2025《应急避难场所通用技术要求》（代替 GB/T 35624-2017）',
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
          { ...opt('county', '区县级', 'county', '#e65100'), aliases: ['县级', '区级', '县（区）级'] },
          { ...opt('town', '乡镇（街道）级', 'town/street', '#fb8c00'), aliases: ['乡镇级', '街道级'] },
          { ...opt('community', '村（社区）级', 'community', '#ffb74d'), aliases: ['村级', '社区级'] },
        ],
      }),
      f('type', 'enum', '储备类型', 'Reserve type', {
        filter: true,
        aliases: ['储备库类型', '库点类型'],
        options: [
          { ...opt('relief', '救灾物资', 'disaster relief'), aliases: ['救灾物资储备库', '救灾'] },
          { ...opt('flood', '防汛抗旱物资', 'flood and drought'), aliases: ['防汛物资', '防汛'] },
          { ...opt('forest_fire', '森林防灭火物资', 'forest fire'), aliases: ['森林防火物资', '森林防火'] },
          { ...opt('comprehensive', '综合', 'comprehensive'), aliases: ['综合物资', '综合性'] },
        ],
      }),
      f('storage_m3', 'number', '有效库容', 'Usable storage', { unit: { zh: 'm³', en: 'm³' }, aliases: ['库容', '储存容量'] }),
      f('inventory', 'items', '库存物资', 'Inventory', { ...internal, options: RELIEF_ITEMS }),
      // Derived from the inventory (core/incident/supply.ts supplyPersonsOf): the persons the stock
      // gives the whole basic kit at the Sphere 2018 per-person rates, first day — the scarcest item decides.
      f('supply_persons', 'integer', '可保障人数', 'Persons it can supply', {
        ...persons,
        ...internal,
        basis: { zh: 'Sphere 手册（2018）：各物资库存 ÷ 人均定额，取最小', en: 'Sphere Handbook 2018: stock ÷ per-person rate, the scarcest item decides' },
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
        aliases: ['消防站类型', '站点类型'],
        options: [
          { ...opt('special', '特勤消防站', 'special service', '#7f0000'), aliases: ['特勤站'] },
          { ...opt('class1', '一级普通消防站', 'class 1', '#b71c1c'), aliases: ['一级站', '一级消防站'] },
          { ...opt('class2', '二级普通消防站', 'class 2', '#e53935'), aliases: ['二级站', '二级消防站'] },
          { ...opt('small', '小型普通消防站', 'small', '#ef5350'), aliases: ['小型站', '小型消防站'] },
          { ...opt('professional', '专职消防队', 'full-time brigade', '#ff7043'), aliases: ['专职消防站'] },
          { ...opt('micro', '微型消防站', 'micro station', '#ffab91'), aliases: ['微型站'] },
        ],
      }),
      f('team_type', 'enum', '队伍类型', 'Force', {
        filter: true,
        options: [
          { ...opt('national', '国家综合性消防救援队伍', 'national fire and rescue'), aliases: ['综合性消防救援队伍', '综合性', '国家综合性'] },
          { ...opt('government', '政府专职消防队', 'government full-time'), aliases: ['专职消防队伍', '政府专职', '专职'] },
          { ...opt('enterprise', '企业专职消防队', 'enterprise full-time'), aliases: ['企业专职'] },
          { ...opt('volunteer', '志愿消防队', 'volunteer'), aliases: ['志愿', '群众义务消防队'] },
        ],
      }),
      f('vehicles', 'integer', '消防车辆', 'Fire engines', { unit: { zh: '辆', en: 'vehicles' }, aliases: ['车辆总数', '消防车'] }),
      f('vehicle_list', 'items', '车辆（按车型）', 'Vehicles by kind', { options: FIRE_VEHICLES }),
      f('personnel', 'integer', '人员', 'Personnel', { ...persons, aliases: ['人员数量', '人数', '指战员'] }),
      f('equipment', 'items', '装备', 'Equipment', { ...internal, options: EQUIPMENT_ITEMS }),
      f('response_min', 'number', '平均响应时间', 'Average response time', { unit: { zh: '分钟', en: 'min' }, aliases: ['响应时间'] }),
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
          { ...opt('comprehensive', '综合应急救援队', 'comprehensive', '#0d47a1'), aliases: ['综合性', '综合救援队伍'] },
          { ...opt('professional', '专业救援队', 'specialist', '#1e88e5'), aliases: ['专业', '专业救援队伍'] },
          { ...opt('social', '社会救援力量', 'volunteer / NGO', '#64b5f6'), aliases: ['社会应急力量', '社会力量'] },
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
      f('members', 'integer', '队员人数', 'Members', { ...persons, aliases: ['人员', '人数', '队员'] }),
      f('equipment', 'items', '装备', 'Equipment', { ...internal, options: EQUIPMENT_ITEMS, aliases: ['主要装备'] }),
      f('response_min', 'number', '平均响应时间', 'Average response time', { unit: { zh: '分钟', en: 'min' }, aliases: ['响应时间'] }),
      f('contact', 'string', '联系人', 'Contact', internal),
      f('phone', 'string', '联系电话', 'Phone', internal),
      sourceField,
    ],
  },
  {
    id: 'experts',
    name: { zh: '应急专家', en: 'Emergency experts' },
    description: {
      zh: '应急管理专家库的专家，按专业领域，位于其工作单位',
      en: "Experts of the emergency-management expert pool, by specialty, located at their employer",
    },
    geometry: 'Point',
    // Expert pools are published (名单公示); how to reach an expert is not.
    access: 'public',
    visible: false,
    order: 42,
    symbol: { color: '#6a1b9a', by: 'specialty', radius: 5, glyph: '专' },
    fields: [
      f('name', 'string', '姓名', 'Name', { search: true, required: true, aliases: ['专家姓名'] }),
      f('specialty', 'enum', '专业领域', 'Specialty', {
        filter: true,
        aliases: ['专业', '专业类别', '擅长领域'],
        options: [
          opt('management', '应急管理', 'emergency management', '#4a148c'),
          opt('geohazard', '地质灾害', 'geohazards', '#6d4c41'),
          opt('flood', '防汛抗旱', 'flood and drought', '#1565c0'),
          opt('earthquake', '地震', 'earthquake', '#8e24aa'),
          opt('forest_fire', '森林防灭火', 'forest fire', '#e64a19'),
          opt('fire', '消防救援', 'fire and rescue', '#c62828'),
          opt('hazmat', '危险化学品', 'hazardous chemicals', '#f9a825'),
          opt('mine', '矿山安全', 'mine safety', '#5d4037'),
          opt('meteorology', '气象', 'meteorology', '#0277bd'),
          opt('structure', '建筑结构', 'structural engineering', '#546e7a'),
          opt('transport', '交通运输', 'transport', '#00838f'),
          opt('medical', '医疗救护', 'medical', '#2e7d32'),
          opt('psychology', '心理援助', 'psychological aid', '#ad1457'),
        ],
      }),
      f('title', 'enum', '职称', 'Professional title', {
        filter: true,
        aliases: ['技术职称'],
        options: [
          { ...opt('senior', '正高级', 'senior (full)'), aliases: ['正高', '教授级高工', '教授', '研究员', '主任医师'] },
          { ...opt('associate', '副高级', 'senior (associate)'), aliases: ['副高', '高级工程师', '副教授', '副主任医师'] },
          { ...opt('intermediate', '中级', 'intermediate'), aliases: ['工程师', '讲师', '主治医师'] },
          opt('other', '其他', 'other'),
        ],
      }),
      f('unit', 'string', '工作单位', 'Employer', { search: true, aliases: ['单位', '所在单位'] }),
      f('address', 'string', '单位地址', 'Address', { search: true }),
      f(COUNTY_FIELD, 'string', '区县代码', 'County code', { filter: true }),
      f('town', 'string', '乡镇（街道）', 'Town / street', { filter: true, search: true }),
      f('phone', 'string', '联系电话', 'Phone', internal),
      sourceField,
    ],
  },
  {
    id: 'hazard_zones',
    name: { zh: '灾害风险区', en: 'Hazard zones' },
    description: {
      zh: '洪水风险区、地质灾害威胁区等风险区划图斑；避难场所分析据此判断场址是否适宜',
      en: 'Flood-risk, geohazard-threat and other risk-zoning areas; the shelter analysis rules out shelters inside them',
    },
    geometry: 'Polygon',
    // Knowing where the risk is belongs to everyone (the census's zoning maps are published); the
    // record's source stays internal as on every layer.
    access: 'public',
    visible: false,
    order: 5,
    symbol: { color: '#e53935', by: 'level' },
    roles: { hazard_zone: { hazard: 'hazard', level: 'level' } },
    fields: [
      f('name', 'string', '名称', 'Name', { search: true, aliases: ['图斑名称', '区域名称'] }),
      f('kind', 'enum', '区划类型', 'Zoning', {
        filter: true,
        basis: '第一次全国自然灾害综合风险普查 风险评估与区划；SL 483-2017《洪水风险图编制导则》',
        aliases: ['区划类型', '图层类型'],
        options: [
          { ...opt('flood_risk', '洪水风险区', 'flood risk zone', '#1565c0'), aliases: ['洪水风险区划', '洪涝风险区'] },
          { ...opt('geohazard_threat', '地质灾害威胁区', 'geohazard threat zone', '#6d4c41'), aliases: ['地质灾害危险区', '地质灾害风险区'] },
          { ...opt('risk_zoning', '其他风险区划', 'other risk zoning', '#9e9e9e'), aliases: ['综合风险区划', '风险区划'] },
        ],
      }),
      f('hazard', 'enum', '灾种', 'Hazard', { filter: true, options: ZONE_HAZARDS, aliases: ['灾害类型'] }),
      f('level', 'enum', '风险等级', 'Risk level', { filter: true, options: ZONE_LEVELS, aliases: ['风险等级', '危险等级'] }),
      f(COUNTY_FIELD, 'string', '区县代码', 'County code', { filter: true }),
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
