/** geohazards: counts from the plans, demo positions (rural towns weighted), types and risk. */
import { apportion } from '../../core/population/apportion.js';
import { DEMO_COUNTS, PLAN, type PlanFigure } from './plan-figures.js';
import { countSource } from './provenance.js';
import { village } from './naming.js';
import { demoPhone, personName, phoneCode, placeProps, pointFeature, pointIn, seq, type DemoFeature, type Geodata } from './places.js';
import { createRng, type Rng } from './rng.js';

const TYPES: [string, string, number][] = [
  ['landslide', '滑坡', 0.5],
  ['collapse', '危岩崩塌', 0.2],
  ['debris_flow', '泥石流', 0.08],
  ['subsidence', '地面塌陷', 0.05],
  ['unstable_slope', '不稳定斜坡', 0.17],
];
const SCALES: [string, number, [number, number]][] = [
  ['small', 0.7, [5, 50]],
  ['medium', 0.22, [30, 300]],
  ['large', 0.07, [100, 1000]],
  ['huge', 0.01, [500, 3000]],
];

function weighted<T extends unknown[]>(rng: Rng, items: T[], weightAt: number): T {
  let r = rng.next();
  for (const it of items) {
    r -= it[weightAt] as number;
    if (r < 0) return it;
  }
  return items[items.length - 1];
}

const riskOf = (scale: string, persons: number): string =>
  scale === 'huge' || persons >= 1000 ? 'very_high' : scale === 'large' || persons >= 300 ? 'high' : scale === 'medium' || persons >= 50 ? 'medium' : 'low';

export function geohazards({ counties, towns }: Geodata): DemoFeature[] {
  const out: DemoFeature[] = [];
  for (const county of counties) {
    const rng = createRng(`geohazards:${county.code}`);
    const plan = PLAN[county.code as keyof typeof PLAN];
    const figure = 'geohazards' in plan ? (plan.geohazards as PlanFigure<number>) : undefined;
    const count = figure?.value ?? DEMO_COUNTS.geohazards[county.code];
    const own = towns.filter((t) => t.countyCode === county.code);
    // Hazard points lie mostly in the hilly rural towns, not in the urban streets.
    const split = apportion(count, own.map((t) => (t.name.endsWith('街道') ? 1 : 4)));
    // 巫山 names its monitors: 766 群测群防员 for 950 points, so some watch more than one.
    const monitors = 'monitors' in plan ? Array.from({ length: plan.monitors.value }, () => personName(rng)) : [];
    const treated = 'treatedGeohazards' in plan ? plan.treatedGeohazards.value : 0;
    let n = 0;
    own.forEach((town, i) => {
      for (let k = 0; k < split[i]; k++) {
        const [type, typeZh] = weighted(rng, TYPES, 2);
        const [scale, , [lo, hi]] = weighted(rng, SCALES, 1);
        const persons = rng.int(lo, hi);
        const idx = n++;
        const status = idx < treated ? 'treated' : rng.chance(0.03) ? 'relocated' : 'active';
        out.push(
          pointFeature(`geohazards-${county.code}-${seq(idx + 1)}`, pointIn(town, rng), {
            ...placeProps(town, `${town.short}${village(rng)}${typeZh}`, `${town.name}${village(rng)}`),
            type,
            scale,
            threatened_persons: persons,
            threatened_property: Math.round(persons * rng.between(2, 10)),
            risk: riskOf(scale, persons),
            monitor: monitors.length ? monitors[idx < monitors.length ? idx : rng.int(0, monitors.length - 1)] : personName(rng),
            monitor_phone: demoPhone(rng, phoneCode(county.code)),
            status,
            source: countSource(figure),
          }),
        );
      }
    });
  }
  return out;
}
