/**
 * Thresholds from the national standards, in one place so that the demo generator, the analyses
 * and the UI cite the same numbers. Each constant names its source; where the clause number is
 * not certain the table's subject is named instead, and a planner can override every value.
 */

import type { ShelterClass } from './catalogue/layers.js';
import { note } from './note.js';

// The classes are the catalogue's; re-exported for the analyses that cite these tables.
export { SHELTER_CLASSES, type ShelterClass } from './catalogue/layers.js';

/**
 * Minimum effective shelter area per sheltered person, m²/person, by sheltering period
 * (GB 51143-2015 防灾避难场所设计规范, 人均有效避难面积: 紧急 0.5, 短期 2.0, 中期 3.0, 长期 4.5).
 * A central shelter hosts long-term sheltering, so it takes the long-term figure.
 */
export const SHELTER_AREA_PER_PERSON: Record<ShelterClass, number> = {
  emergency: 0.5,
  fixed_short: 2.0,
  fixed_medium: 3.0,
  fixed_long: 4.5,
  central: 4.5,
};

/** Persons a shelter of this class and effective area can take. */
export const shelterCapacity = (cls: ShelterClass, areaM2: number): number => Math.floor(areaM2 / SHELTER_AREA_PER_PERSON[cls]);

/**
 * Walking service radius, metres (GB 21734-2008 地震应急避难场所 场址及配套设施: 紧急避难场所服务半径
 * 500 m; 固定避难场所 2–3 km, long-term and central taken at the upper end).
 */
export const SHELTER_SERVICE_RADIUS_M: Record<ShelterClass, number> = {
  emergency: 500,
  fixed_short: 2000,
  fixed_medium: 2000,
  fixed_long: 2500,
  central: 2500,
};

/** A class's service radius walked at 5 km/h, minutes: 紧急 6, 固定 24–30 (the walk SITING_DEFAULTS.shelters uses). */
export const shelterServiceMinutes = (cls: ShelterClass): number => (SHELTER_SERVICE_RADIUS_M[cls] / 5000) * 60;

/** Effective shelter area per resident the 江北 plan commits to (江北区“十四五”应急管理规划). */
export const PLAN_AREA_PER_RESIDENT_M2 = 1.5;

/**
 * Fire-station response: arrive within 5 minutes of the call = 1 min turn-out + 4 min driving
 * (GB 51080-2015 城市消防规划规范 §4.1.3 / 建标152-2017 第十二条).
 */
export const FIRE_RESPONSE = { turnoutMinutes: 1, driveMinutes: 4 };

/** Largest service area per station type, km² (建标152-2017 第十四条: 设在城市的消防站，一级站不宜大于7km²，二级站不宜大于4km²，小型站不宜大于2km²). */
export const FIRE_STATION_MAX_AREA_KM2: Partial<Record<string, number>> = { class1: 7, class2: 4, small: 2 };

/**
 * Fire response outside urban built-up areas (乡镇 served by 乡镇消防队 / 专职消防队): arrive within
 * 15 minutes of the dispatch order = 1 min turn-out + 14 min driving. A SETTING, not a national
 * rural figure: GB/T 35547-2017《乡镇消防队》 says which towns must keep a brigade and how it is
 * equipped, but we found no arrival-time clause in it; the nearest national figure is the 15-minute
 * rule that GB 51080-2015 §4.1.3 and 建标152-2017 第十四条 set for stations at the edge of the
 * built-up area and in the near suburbs (“接到出动指令后15min内可到达其辖区边缘”, area ≤ 15 km²).
 */
export const FIRE_RURAL_RESPONSE = { turnoutMinutes: 1, driveMinutes: 14 };

/**
 * Micro fire stations (微型消防站): “3分钟到场”, arrive within 3 minutes of the alarm
 * (公消〔2015〕301号《社区微型消防站建设标准（试行）》/《消防安全重点单位微型消防站建设标准（试行）》,
 * 建设原则). The plans want one in every village/community: “村（社区）应急救援站（微型消防站）
 * 建成率达100%” (铜梁), “社区应急救援站（微型消防站）建成率达100%” (合川, 巫山).
 */
export const MICRO_STATION_RESPONSE = { minutes: 3, targetShare: 1 };

/** A station farther than this from a drivable road is flagged: its position or the road data is likely wrong (a setting). */
export const FIRE_OFF_ROAD_WARN_M = 200;

/**
 * Fire engines and staff per station type, as ranges (建标152-2017 城市消防站建设标准 第十三条
 * 消防车配备数量 and 第二十四条 人员配备). Used to give demo stations plausible figures.
 */
export const FIRE_STATION_STAFFING: Record<string, { vehicles: [number, number]; personnel: [number, number] }> = {
  special: { vehicles: [8, 11], personnel: [45, 60] },
  class1: { vehicles: [5, 7], personnel: [30, 45] },
  class2: { vehicles: [2, 4], personnel: [15, 25] },
  small: { vehicles: [2, 2], personnel: [15, 15] },
  professional: { vehicles: [2, 3], personnel: [10, 20] },
  micro: { vehicles: [0, 1], personnel: [3, 6] },
};

/** Relief within 10 hours of a disaster (国家综合防灾减灾规划（2021—2025年）, 国减发〔2022〕1号). */
export const RELIEF_TARGET_HOURS = 10;

/**
 * Default service thresholds for siting new facilities, minutes of travel:
 * - fire stations: the 4-minute drive of FIRE_RESPONSE (GB 51080-2015 §4.1.3) when one threshold applies
 *   everywhere; by default siting applies fire coverage's urban/rural rule instead (planner-siting/plan.ts);
 * - shelters: the fixed-shelter walking service radius of 2 km (GB 21734-2008, SHELTER_SERVICE_RADIUS_M
 *   .fixed_short) walked at 5 km/h = 24 minutes;
 * - relief depots: a 60-minute drive. No national clause sets this; it is a planning assumption
 *   (well inside RELIEF_TARGET_HOURS) that a planner should override with the county's own.
 */
export const SITING_DEFAULTS = {
  fire_stations: { minutes: FIRE_RESPONSE.driveMinutes, mode: 'drive', basis: note('siting_basis_fire_stations', { minutes: FIRE_RESPONSE.driveMinutes, turnout: FIRE_RESPONSE.turnoutMinutes }) },
  shelters: {
    minutes: shelterServiceMinutes('fixed_short'),
    mode: 'walk',
    basis: note('siting_basis_shelters', { radiusM: SHELTER_SERVICE_RADIUS_M.fixed_short, minutes: shelterServiceMinutes('fixed_short') }),
  },
  depots: { minutes: 60, mode: 'drive', basis: note('siting_basis_depots', { minutes: 60 }) },
} as const;
