/**
 * Real figures from the five 十四五 emergency-management plans (../shared/seeds), each with the
 * sentence it comes from. The demo generator takes its counts from here, so that the demo map
 * has as many shelters, teams and hazard points as the plans say; where a plan gives no figure
 * the generator uses a demo count and labels it so (`DEMO_COUNTS`).
 */

export interface PlanFigure<T = number> {
  value: T;
  /** The plan's own words. */
  quote: string;
  /** File under ../shared/seeds. */
  file: string;
}

const JB = '004_6677106742319f69.txt';
const HC = '002_7f1c906eabfaf395.txt';
const TL = '000_dbbf38ea21d92a48.txt';
const WS = '003_e3dcff7050c0cecb.txt';
const LZ = '001_e7f6375f1aa1c3d8.txt';

const fig = <T>(value: T, file: string, quote: string): PlanFigure<T> => ({ value, file, quote });

export const PLAN = {
  '500105': {
    shelters: fig(48, JB, '截止2020年底，全区已建成应急避难场所48个。'),
    shelterAreaPerPerson: fig(1.5, JB, '落实全区常住居民人均避难面积大于1.5平方米的标准'),
    geohazards: fig(51, JB, '全区查明地质灾害隐患点51处'),
    reservoirMonitored: fig(18, JB, '继续开展三峡库区18处地质灾害隐患点监测预警工作'),
    plannedFireStations: fig(['五里店消防站'], JB, '强化公共消防设施建设，完成五里店消防站建设'),
    teams: fig(
      { fireBrigade: 260, professional: [7, 100], comprehensive: [15, 540], support: [9, 200] },
      JB,
      '全区共组建应急救援队伍32支队员约1100人，其中区消防救援支队约260人，7支专业救援队伍100人，区综合应急救援队伍和14支街镇（园区、商圈）综合应急队伍共计540人，9支救援支持队伍200人。',
    ),
  },
  '500117': {
    shelters: fig(165, HC, '统筹推进应急避难场所建设，已建成避难场所165个。'),
    treatedGeohazards: fig(2, HC, '完成2个中小型地质灾害隐患点工程治理'),
    teams: fig(
      { district: 2, department: 20, town: 30 },
      HC,
      '已建成区级综合救援队伍2支，部门救援队伍20支，镇街救援队伍30支，覆盖水上、森林灭火、地质灾害、防汛抗旱等专业领域。',
    ),
    plannedDepot: fig('合川区应急物资储备库', HC, '建设区物资储备库和各镇街规划建设储备点。'),
  },
  '500151': {
    plannedDepot: fig('铜梁区综合应急物资储备库', TL, '规划建设区级综合应急物资储备库。'),
    teams: fig(
      {
        named: ['区专职综合应急救援队', '区危化应急救援队', '区大型机械应急救援队', '区少云应急民兵连', '铜龙应急救援大队'],
        industry: 16,
        town: 28,
      },
      TL,
      '建立以区消防救援支队为主力、区专职综合应急救援队为支撑，区危化应急救援队、区大型机械应急救援队、区少云应急民兵连、铜龙应急救援大队等社会救援力量为辅助的区级救援队伍。行业部门建立16个行业专业救援队，28个镇（街道）建立专兼职综合救援队',
    ),
  },
  '500237': {
    shelters: fig(8, WS, '建成8处应急避难场所，可容纳2.6万余人。'),
    shelterCapacity: fig(26000, WS, '建成8处应急避难场所，可容纳2.6万余人。'),
    geohazards: fig(950, WS, '对全县950处地质灾害隐患点指定了766名群测群防员'),
    monitors: fig(766, WS, '对全县950处地质灾害隐患点指定了766名群测群防员和54名乡镇（街道）地质灾害专管员'),
    treatedGeohazards: fig(72, WS, '完成箭穿洞危岩治理等72处地质灾害隐患点综合治理'),
    microStations: fig(134, WS, '建成1支民兵应急队、134个社区微型救援站（消防站）'),
    depotSupplyPersons: fig(3000, WS, '按照救灾物资储备量可保障受灾群众3000人，事故灾害发生4小时之内受灾群众得到基本生活救助的目标'),
    teams: fig(
      { county: 30, regional: [9, 15], militia: 1 },
      WS,
      '组建建制为30人的县综合应急救援队伍，建成9支建制为15人的区域应急救援队伍；建成1支民兵应急队',
    ),
  },
  '510802': {
    newShelters: fig(4, LZ, '新建应急避难场所4个，提升完善已建成应急避难场所功能10个'),
    upgradedShelters: fig(10, LZ, '新建应急避难场所4个，提升完善已建成应急避难场所功能10个'),
    geohazards: fig(164, LZ, '地质灾害监测点164处，其中自动化灾害监测设备73处'),
    automatedMonitoring: fig(73, LZ, '地质灾害监测点164处，其中自动化灾害监测设备73处'),
    plannedFireStations: fig(
      [
        { name: '城北特勤消防站', type: 'special' },
        { name: '战勤保障消防站', type: 'special' },
        { name: '上西坝小型消防站', type: 'small' },
      ],
      LZ,
      '新建、优化城市及乡镇专职消防站5处，建成城北特勤消防站、战勤保障消防站和上西坝小型消防站，提档升级三堆镇、荣山镇2支乡镇专职消防队',
    ),
    upgradedBrigades: fig(['三堆镇', '荣山镇'], LZ, '提档升级三堆镇、荣山镇2支乡镇专职消防队'),
    plannedDepot: fig('利州区应急救援物资骨干储备库', LZ, '新（改扩）建1个区级骨干储备库'),
    teams: fig(
      { fire: 2, forest: 1, town: [14, 20, 50] },
      LZ,
      '建立2支专业消防救援队伍、1支区级森林防灭火专业队伍，建立20人至50人不等的14支乡镇（街道）综合性应急队伍',
    ),
  },
} as const;

/** Counts no plan gives: generated, and labelled demo in the data (`source`). */
export const DEMO_COUNTS = {
  shelters: { '500151': 70, '510802': 60 } as Record<string, number>,
  geohazards: { '500117': 180, '500151': 120 } as Record<string, number>,
};
