/**
 * experts: a demo expert pool per area (the plans of 铜梁, 利州, 合川 and 江北 call for an
 * 应急管理专家库 but give no roster). Each expert is placed at the unit they work for, in the
 * district seat; units and their specialties are the departments a county expert pool draws on.
 */
import { countSource } from './provenance.js';
import { road } from './naming.js';
import { demoPhone, personName, phoneCode, placeProps, pointFeature, seatTown, seq, sitePointIn, type DemoFeature, type Geodata } from './places.js';
import { createRng, type Rng } from './rng.js';

/** Unit name after the county's name → the specialties its experts have. */
const UNITS: [string, string[]][] = [
  ['应急管理局', ['management', 'hazmat', 'mine']],
  ['规划和自然资源局', ['geohazard']],
  ['水利局', ['flood']],
  ['气象局', ['meteorology']],
  ['住房和城乡建设委员会', ['structure', 'earthquake']],
  ['交通局', ['transport']],
  ['林业局', ['forest_fire']],
  ['人民医院', ['medical', 'psychology']],
  ['消防救援大队', ['fire']],
];

function title(rng: Rng): string {
  const r = rng.next();
  return r < 0.2 ? 'senior' : r < 0.65 ? 'associate' : r < 0.95 ? 'intermediate' : 'other';
}

export function experts({ counties, towns, roadside }: Geodata): DemoFeature[] {
  return counties.flatMap((county) => {
    const rng = createRng(`experts:${county.code}`);
    const seat = seatTown(county, towns.filter((t) => t.countyCode === county.code));
    const source = countSource(undefined);
    const out: DemoFeature[] = [];
    for (const [suffix, specialties] of UNITS) {
      const unit = `${county.name}${county.code === '500105' && suffix === '消防救援大队' ? '消防救援支队' : suffix}`;
      const at = sitePointIn(seat, rng, roadside);
      const address = `${seat.name}${road(rng)}`;
      for (let k = rng.int(1, 3); k > 0; k--) {
        out.push(
          pointFeature(`experts-${county.code}-${seq(out.length + 1)}`, at, {
            ...placeProps(seat, personName(rng), address),
            specialty: rng.pick(specialties),
            title: title(rng),
            unit,
            phone: demoPhone(rng, phoneCode(county.code)),
            source,
          }),
        );
      }
    }
    return out;
  });
}
