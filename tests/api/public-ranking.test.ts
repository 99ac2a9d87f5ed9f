/**
 * The phone's answer equals the server's: for origins across 江北 (500105), rankShelters on the
 * served pack (decodePack → graphOfPack) gives the same shelters in the same order with the same
 * walking times as the server's own walking search on the store's whole road graph
 * (server/routes/analysis-context.ts, core/analysis/reach.ts searchFrom/arrival, mode walk).
 * Pack coordinates are rounded to 1e-7° (≈1 cm), so times may differ by a few milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { arrival, searchFrom, snapPlaces } from '../../core/analysis/reach.js';
import { DEFAULT_MAX_SNAP_M } from '../../core/network/snap.js';
import { GROUPS, graphOfPack, groupOf, rankShelters } from '../../core/public/nearest.js';
import { decodePack, type PublicManifest } from '../../core/public/pack.js';
import { analysisContext } from '../../server/services/analysis-context.js';
import { BORDER_MARGIN_M } from '../../server/public/packs.js';
import { featuresNearCounty } from '../../server/store/index.js';
import { useTestApi } from '../setup/server.js';

const TOLERANCE_S = 0.05;

describe('the phone’s shelter ranking', () => {
  const ctx = useTestApi();

  it('equals the server’s walking-time ranking from the store’s road graph, for origins across 江北', async () => {
    const manifest = (await ctx.api.call('/shelters/data/manifest.json')).body as PublicManifest;
    const area = manifest.areas.find((a) => a.code === '500105')!;
    const res = await fetch(`${ctx.api.url}/shelters/data/${area.url}`);
    const pack = decodePack(new Uint8Array(await res.arrayBuffer()));
    const phoneGraph = graphOfPack(pack);

    const { graph } = await analysisContext(ctx.store.db).network();
    const stored = new Map(
      (await featuresNearCounty(ctx.store.db, 'shelters', '500105', BORDER_MARGIN_M)).map((f) => [String(f.id), (f.geometry as { coordinates: number[] }).coordinates]),
    );
    expect([...stored.keys()].sort()).toEqual(pack.shelters.map((s) => s.id).sort());
    const shelterSnaps = snapPlaces(graph!, pack.shelters.map((s) => stored.get(s.id) as [number, number]), 'walk', DEFAULT_MAX_SNAP_M);

    // Every town's search point, a spot beside a shelter, a street's search point and a point between streets.
    const street = pack.places.find((p) => p.kind === 'street')!;
    const origins: [number, number][] = [
      ...pack.places.filter((p) => p.kind === 'town').map((p): [number, number] => [p.lon, p.lat]),
      [pack.shelters[0].lon + 0.0004, pack.shelters[0].lat - 0.0003],
      [street.lon, street.lat],
      [106.58, 29.6],
    ];
    expect(origins.length).toBeGreaterThanOrEqual(12);

    let compared = 0;
    for (const hazard of ['earthquake', 'flood']) {
      for (const origin of origins) {
        const [o] = snapPlaces(graph!, [origin], 'walk', DEFAULT_MAX_SNAP_M);
        if (!o) continue;
        const time = searchFrom(graph!, [o], 'walk', Infinity);
        const server = pack.shelters
          .map((s, i) => ({ id: s.id, seconds: arrival(graph!, shelterSnaps[i], 'walk', time), group: groupOf(s, hazard).group }))
          .filter((r) => r.seconds < Infinity)
          .sort((x, y) => GROUPS.indexOf(x.group) - GROUPS.indexOf(y.group) || x.seconds - y.seconds || x.id.localeCompare(y.id));
        const phone = rankShelters(pack, phoneGraph, origin, hazard).filter((r) => !r.straightLine);
        expect(phone.map((r) => r.shelter.id), `${hazard} from ${origin}`).toEqual(server.map((r) => r.id));
        phone.forEach((r, i) => expect(Math.abs(r.walkSeconds - server[i].seconds), `${hazard} from ${origin} to ${r.shelter.id}`).toBeLessThan(TOLERANCE_S));
        expect(phone[0].group).toBe('open');
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(24);
  });
});
