/**
 * Demo equipment lists of rescue teams and fire stations, and a fire station's vehicles by kind
 * (labelled demo by the record's source). Drawn from a generator of its own per feature, so the
 * rest of the demo data is the same as before these fields existed.
 */
import type { DemoFeature } from './places.js';
import { createRng, type Rng } from './rng.js';

type Items = { item: string; quantity: number }[];

/** What a team of each specialty carries: item → [min, max] per 10 members. */
const KIT: Record<string, Record<string, [number, number]>> = {
  general: { breaking_tools: [1, 2], life_detector: [0, 1], rope_rescue: [1, 2], lighting: [1, 2], generator: [0, 1], radio: [3, 6], first_aid: [1, 2] },
  flood: { assault_boat: [1, 2], rubber_boat: [0, 1], life_jacket: [10, 12], drainage_pump: [1, 3], lighting: [1, 2], radio: [3, 5] },
  water: { assault_boat: [1, 2], diving_kit: [1, 3], line_thrower: [1, 2], life_jacket: [10, 12], radio: [3, 5] },
  mountain: { rope_rescue: [2, 4], drone: [0, 1], satellite_phone: [1, 1], first_aid: [1, 2], radio: [4, 8] },
  forest_fire: { blower: [3, 6], chainsaw: [1, 2], portable_pump: [1, 2], radio: [4, 8], first_aid: [1, 1] },
  geohazard: { life_detector: [1, 1], drone: [0, 1], rope_rescue: [1, 2], satellite_phone: [0, 1], radio: [3, 5] },
  hazmat: { hazmat_suit: [4, 8], gas_detector: [1, 2], decontamination: [0, 1], breathing_apparatus: [4, 8], radio: [3, 5] },
  mine: { breathing_apparatus: [6, 10], gas_detector: [1, 2], life_detector: [0, 1], radio: [3, 5] },
  medical: { first_aid: [3, 6], stretcher: [2, 4], radio: [2, 4] },
};

function kit(rng: Rng, specialty: string, people: number): Items {
  const per10 = KIT[specialty] ?? KIT.general;
  const scale = Math.max(1, people / 10);
  return Object.entries(per10)
    .map(([item, [lo, hi]]) => ({ item, quantity: Math.round(rng.between(lo, hi + 1) * scale) }))
    .filter((i) => i.quantity > 0);
}

/** A fire station's equipment by its type: the larger stations hold rescue and hazmat kit too. */
const STATION_KIT: Record<string, string[]> = {
  special: ['general', 'hazmat', 'water'],
  class1: ['general', 'hazmat'],
  class2: ['general'],
  small: ['general'],
  professional: ['general'],
  micro: [],
};

/** A station's vehicles split by kind: aerial and rescue appliances first at the larger stations, the rest water tenders. */
function fleet(rng: Rng, type: string, vehicles: number): Items {
  if (vehicles <= 0) return [];
  if (type === 'micro') return [{ item: 'other', quantity: vehicles }];
  const out: Record<string, number> = {};
  let left = vehicles;
  const take = (item: string, n: number) => {
    const q = Math.min(n, left);
    if (q > 0) out[item] = (out[item] ?? 0) + q;
    left -= q;
  };
  if (type === 'special') {
    take('aerial', rng.int(1, 2));
    take('rescue', rng.int(1, 2));
    take('foam_tender', 1);
    take('command', 1);
    take('support', 1);
  } else if (type === 'class1') {
    take('rescue', 1);
    take('foam_tender', rng.int(0, 1));
    take('aerial', rng.int(0, 1));
  }
  take('water_tender', left);
  return Object.entries(out).map(([item, quantity]) => ({ item, quantity }));
}

/** Minutes a force takes to arrive on average (demo): micro stations are on site in minutes, teams muster first. */
const RESPONSE_MIN: Record<string, [number, number]> = {
  micro: [2, 4],
  special: [5, 9],
  class1: [5, 10],
  class2: [6, 12],
  small: [6, 12],
  professional: [8, 15],
  team: [20, 60],
};

const minutes = (rng: Rng, [lo, hi]: [number, number]): number => Math.round(rng.between(lo, hi) * 10) / 10;

/** Rescue teams with their equipment list and average response time. */
export function withTeamEquipment(teams: DemoFeature[]): DemoFeature[] {
  return teams.map((t) => {
    const rng = createRng(`equipment:${String(t.id)}`);
    const p = t.properties;
    return { ...t, properties: { ...p, equipment: kit(rng, String(p.specialty), Number(p.members ?? 10)), response_min: minutes(rng, RESPONSE_MIN.team) } };
  });
}

/** Fire stations with vehicles by kind (summing to `vehicles`), equipment and average response time; planned ones have none yet. */
export function withStationEquipment(stations: DemoFeature[]): DemoFeature[] {
  return stations.map((s) => {
    const p = s.properties;
    if (p.status === 'planned') return s;
    const rng = createRng(`equipment:${String(s.id)}`);
    const type = String(p.type);
    const people = Number(p.personnel ?? 10);
    const equipment = (STATION_KIT[type] ?? []).flatMap((specialty) => kit(rng, specialty, people / 2));
    const merged = new Map<string, number>();
    for (const i of equipment) merged.set(i.item, (merged.get(i.item) ?? 0) + i.quantity);
    return {
      ...s,
      properties: {
        ...p,
        vehicle_list: fleet(rng, type, Number(p.vehicles ?? 0)),
        equipment: [...merged].map(([item, quantity]) => ({ item, quantity })),
        response_min: minutes(rng, RESPONSE_MIN[type] ?? RESPONSE_MIN.class2),
      },
    };
  });
}
