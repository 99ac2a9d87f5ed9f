/** rescue_teams: the teams each plan names or counts, with members where the plan states them. */
import { apportion } from '../../core/population/apportion.js';
import { PLAN, type PlanFigure } from './plan-figures.js';
import { countSource } from './provenance.js';
import { road } from './naming.js';
import { demoPhone, personName, phoneCode, placeProps, pointFeature, sitePointIn, seatTown, seq, type DemoFeature, type Geodata, type Town } from './places.js';
import { createRng, type Rng } from './rng.js';

interface TeamSpec {
  name: string;
  type: 'comprehensive' | 'professional' | 'social';
  specialty: string;
  members: number;
  town: Town;
  figure?: PlanFigure<unknown>;
}

const PROFESSIONAL: [string, string][] = [
  ['水上救援队', 'water'],
  ['森林消防专业队', 'forest_fire'],
  ['地质灾害应急抢险队', 'geohazard'],
  ['防汛抢险队', 'flood'],
  ['危化品应急救援队', 'hazmat'],
  ['医疗救护队', 'medical'],
  ['电力抢修队', 'general'],
  ['供水抢修队', 'general'],
  ['燃气抢险队', 'hazmat'],
  ['交通抢通队', 'general'],
  ['山地搜救队', 'mountain'],
  ['矿山救护队', 'mine'],
];

/** The teams of one county, from its plan's counts (see plan-figures.ts). */
function specs(code: string, county: string, own: Town[], seat: Town, rng: Rng): TeamSpec[] {
  const t = (name: string, type: TeamSpec['type'], specialty: string, members: number, town: Town, figure?: PlanFigure<unknown>): TeamSpec => ({
    name,
    type,
    specialty,
    members,
    town,
    figure,
  });
  const professional = (n: number, members: number[], figure?: PlanFigure<unknown>): TeamSpec[] =>
    Array.from({ length: n }, (_, i) => {
      const [label, specialty] = PROFESSIONAL[i % PROFESSIONAL.length];
      return t(`${county}${label}${i >= PROFESSIONAL.length ? '二队' : ''}`, 'professional', specialty, members[i], rng.pick(own), figure);
    });
  const townTeams = (towns: Town[], members: (i: number) => number, figure?: PlanFigure<unknown>): TeamSpec[] =>
    towns.map((town, i) => t(`${town.name}综合应急救援队`, 'comprehensive', 'general', members(i), town, figure));
  const between = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => rng.int(lo, hi));

  switch (code) {
    case '500105': {
      const f = PLAN['500105'].teams;
      const { fireBrigade, professional: [np, mp], comprehensive: [nc, mc], support: [ns, ms] } = f.value;
      // 14 街镇（园区、商圈）teams: the 12 towns/streets plus two districts that are not towns, each
      // based in the street it lies in (观音桥商圈 in 观音桥街道, 江北嘴 CBD in 江北城街道).
      const within = (short: string) => own.find((town) => town.short === short) ?? seat;
      const hosts = [...own, { ...within('观音桥'), name: '观音桥商圈' }, { ...within('江北城'), name: '江北嘴中央商务区' }].slice(0, nc - 1);
      const compMembers = apportion(mc, Array(nc).fill(1));
      return [
        t('江北区消防救援支队', 'comprehensive', 'general', fireBrigade, seat, f),
        ...professional(np, apportion(mp, Array(np).fill(1)), f),
        t('江北区综合应急救援队', 'comprehensive', 'general', compMembers[0], seat, f),
        ...townTeams(hosts as Town[], (i) => compMembers[i + 1], f),
        ...Array.from({ length: ns }, (_, i) =>
          t(`${county}应急救援支持队${i + 1}队`, 'social', 'general', apportion(ms, Array(ns).fill(1))[i], rng.pick(own), f),
        ),
      ];
    }
    case '500117': {
      const f = PLAN['500117'].teams;
      return [
        t('合川区综合应急救援队', 'comprehensive', 'general', rng.int(60, 100), seat, f),
        t('合川区专职消防救援队', 'comprehensive', 'general', rng.int(40, 80), seat, f),
        ...professional(f.value.department, between(f.value.department, 10, 40), f),
        ...townTeams(own.slice(0, f.value.town), () => rng.int(15, 40), f),
      ];
    }
    case '500151': {
      const f = PLAN['500151'].teams;
      const [comprehensive, hazmat, machinery, militia, volunteer] = f.value.named;
      return [
        t(`铜梁${comprehensive}`, 'comprehensive', 'general', rng.int(50, 80), seat, f),
        t(`铜梁${hazmat}`, 'professional', 'hazmat', rng.int(20, 40), seat, f),
        t(`铜梁${machinery}`, 'professional', 'general', rng.int(20, 40), seat, f),
        t(`铜梁${militia}`, 'comprehensive', 'general', rng.int(40, 100), seat, f),
        t(volunteer, 'social', 'general', rng.int(30, 60), seat, f),
        ...professional(f.value.industry, between(f.value.industry, 10, 30), f),
        ...townTeams(own.slice(0, f.value.town), () => rng.int(15, 40), f),
      ];
    }
    case '500237': {
      const f = PLAN['500237'].teams;
      const [nRegional, regionalMembers] = f.value.regional;
      return [
        t('巫山县综合应急救援队', 'comprehensive', 'general', f.value.county, seat, f),
        ...rng.sample(own, nRegional).map((town) => t(`巫山县${town.short}区域应急救援队`, 'comprehensive', 'general', regionalMembers, town, f)),
        t('巫山县民兵应急队', 'comprehensive', 'general', rng.int(30, 60), seat, f),
        ...professional(5, between(5, 10, 30)).map((s, i) => ({ ...s, name: `巫山县${['电力抢修队', '供水抢修队', '燃气抢险队', '交通抢通队', '森林消防专业队'][i]}`, specialty: ['general', 'general', 'hazmat', 'general', 'forest_fire'][i] })),
      ];
    }
    case '510802': {
      const f = PLAN['510802'].teams;
      const [n, lo, hi] = f.value.town;
      return [
        ...Array.from({ length: f.value.fire }, (_, i) => t(`利州区专业消防救援队${i + 1}队`, 'professional', 'general', rng.int(20, 40), seat, f)),
        t('利州区森林防灭火专业队', 'professional', 'forest_fire', rng.int(20, 40), seat, f),
        ...townTeams(rng.sample(own, n), () => rng.int(lo, hi), f),
      ];
    }
    default:
      return [];
  }
}

/**
 * The town a team's name puts it in (铜梁区少云应急民兵连 → 少云镇): the longest town short name the
 * name starts with once the county's name is dropped; undefined for a county-wide name.
 */
export function townNamedIn(name: string, countyName: string, own: readonly Town[]): Town | undefined {
  const bare = name.startsWith(countyName) ? name.slice(countyName.length) : name;
  return own.filter((t) => t.short && bare.startsWith(t.short)).sort((a, b) => b.short.length - a.short.length)[0];
}

export function rescueTeams({ counties, towns, roadside }: Geodata): DemoFeature[] {
  return counties.flatMap((county) => {
    const rng = createRng(`rescue_teams:${county.code}`);
    const own = towns.filter((t) => t.countyCode === county.code);
    return specs(county.code, county.name, own, seatTown(county, own), rng).map((s, i) => {
      const home = townNamedIn(s.name, county.name, own) ?? own.find((t) => t.code === s.town.code)!;
      return pointFeature(`rescue_teams-${county.code}-${seq(i + 1)}`, sitePointIn(home, rng, roadside), {
        ...placeProps(home, s.name, `${home.name}${road(rng)}`),
        type: s.type,
        specialty: s.specialty,
        members: s.members,
        contact: personName(rng),
        phone: demoPhone(rng, phoneCode(county.code)),
        source: countSource(s.figure),
      });
    });
  });
}
