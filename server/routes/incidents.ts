/**
 * The commander's incident view (commander and admin only; anonymous callers get 401 on every one):
 * - `POST /api/analysis/closest` → ClosestResult: resources ranked by drive time to the incident
 *   (core/analysis/closest), around road closures;
 * - `POST /api/analysis/incident` → IncidentAssessment: the same, plus affected people, supplies
 *   against need, shelter places, what is threatened and who must be warned (core/incident);
 * - `GET /api/incidents?status=open|closed|all`, `POST /api/incidents` (201), `GET /api/incidents/:id`,
 *   `PATCH /api/incidents/:id` {version, …} (close: status "closed"), each change audited;
 * - `GET /api/incidents/:id/warnings.csv`: the warning list for an SMS/broadcast platform.
 * Shapes: core/incident/schema.ts. Errors are codes with params; nothing is stored on error.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { Router, type Request } from 'express';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { hazardZonesOf, type HazardZone } from '../../core/analysis/shelter-capacity/index.js';
import { closeLinks } from '../../core/analysis/closest/closures.js';
import { ClosestError, closestFacilities, type Facility } from '../../core/analysis/closest/index.js';
import { islandNotes, placesOnNetwork } from '../../core/network/components.js';
import { findLayer, layerWithRole } from '../../core/catalogue/index.js';
import { bd09ToWgs84, gcj02ToWgs84 } from '../../core/geo/crs.js';
import { assessIncident, DEFAULT_DAYS, DEFAULT_EVACUATE_SHARE, DEFAULT_SHELTER_WALK_MINUTES } from '../../core/incident/assess.js';
import {
  assessmentRequest,
  CLOSEST_GROUPS,
  CLOSEST_LAYERS,
  DEFAULT_AREA,
  DEFAULT_TIERS,
  GROUP_LAYER,
  incidentCreate,
  incidentPatch,
  INCIDENT_STATUS,
  type AssessmentRequestParsed,
  type ClosestGroupKey,
  type ClosestRequestParsed,
  type ClosestResult,
  type Closures,
  type ClosureGeometry,
  type Incident,
  type IncidentAssessment,
  type Message,
  closestRequest,
} from '../../core/incident/schema.js';
import { ratesWith } from '../../core/incident/supply.js';
import { WARNING_COLUMNS, warningRows } from '../../core/incident/warnings.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { CSV_TYPE, writeRows } from '../formats/csv.js';
import { changeIncident, createIncident, getIncident, IncidentConflict, IncidentMissing, listIncidents } from '../store/incidents.js';
import { memoOnLayers } from '../store/index.js';
import { queryFeatures, type Db, type Props } from '../store/index.js';
import { analysisContext, ROAD_LAYER, type Network } from '../services/analysis-context.js';
import { parseBody } from './body.js';

const CLOSEST_HINT = 'Send JSON like {"origin": [106.27, 29.99], "layers": ["fire_stations", "rescue_teams"], "maxMinutes": 120, "closures": []}.';
const INCIDENT_HINT = 'Send JSON like {"origin": [106.27, 29.99], "hazard": "geohazard", "affectedPersons": 3000, "area": {"radiusM": 1000}}.';
const CREATE_HINT = 'Send JSON like {"title": "合川 滑坡", "hazard": "geohazard", "origin": [106.27, 29.99], "affectedPersons": 3000}.';
const PATCH_HINT = 'Send JSON like {"version": 1, "status": "closed"} — the version you last read.';

const ALL = { offset: 0, limit: Number.MAX_SAFE_INTEGER };

const toWgs84 = (p: [number, number], crs: 'wgs84' | 'gcj02' | 'bd09'): [number, number] =>
  crs === 'gcj02' ? gcj02ToWgs84(p) : crs === 'bd09' ? bd09ToWgs84(p) : p;

export const closureGeometries = (c: Closures | null | undefined): ClosureGeometry[] =>
  !c ? [] : (Array.isArray(c) ? c : c.features).map((f) => f.geometry);

function staff(req: Request): void {
  if (req.role === 'public') {
    throw new ApiError(401, 'unauthorized', 'The incident view is for commanders: send "Authorization: Bearer <token>" with a commander or admin token.');
  }
}

/** The county whose town polygon holds the point, or 400 outside_area. */
function countyAt(net: Network, [lon, lat]: [number, number]): string {
  const town = net.towns.find((t) => booleanPointInPolygon([lon, lat], t.geometry));
  if (!town) {
    const known = [...new Set(net.towns.map((t) => t.countyCode))].join(', ');
    throw new ApiError(400, 'outside_area', `The incident at [${lon}, ${lat}] lies in none of the counties in the store (${known}).`, 'origin', { lon, lat });
  }
  return town.countyCode;
}

interface Loaded {
  sites: Map<string, Feature<Point, Props>[]>;
  /** The hazard-zone layer's zones: shelters inside one that rules them out are not to evacuate to. */
  zones: HazardZone[];
  messages: Message[];
}

const HAZARD_ZONES = layerWithRole('hazard_zone');

/** The point layers the incident view reads, and with the hazard zones every layer it reads. */
const SITE_LAYERS = [...new Set([...CLOSEST_LAYERS, 'geohazards'])];
const READ_LAYERS = [...SITE_LAYERS, HAZARD_ZONES.id];

/**
 * Point features of the resource layers (planned ones left out: they do not exist yet) and the
 * hazard zones, read once and kept until one of the layers changes (a live incident re-asks
 * often; reads are ~1 s).
 */
const layerCache = (db: Db): (() => Promise<Loaded>) => memoOnLayers(db, READ_LAYERS, () => loadLayers(db, SITE_LAYERS));

async function loadLayers(db: Db, layers: readonly string[]): Promise<Loaded> {
  const sites = new Map<string, Feature<Point, Props>[]>();
  const messages: Message[] = [];
  for (const layer of layers) {
    if (!findLayer(layer)) {
      messages.push({ code: 'no_layer', params: { layer } });
      continue;
    }
    const page = await queryFeatures(db, { layer, ...ALL });
    sites.set(
      layer,
      page.features.filter((f): f is Feature<Point, Props> => f.geometry.type === 'Point' && f.properties.status !== 'planned'),
    );
  }
  const areas = (await queryFeatures(db, { layer: HAZARD_ZONES.id, ...ALL })).features.filter(
    (f): f is Feature<Polygon | MultiPolygon, Props> => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon',
  );
  const zones = hazardZonesOf(areas.map((f) => ({ id: String(f.id), geometry: f.geometry, p: f.properties })));
  return { sites, zones, messages };
}

function facilitiesOf(loaded: Loaded, groups: readonly ClosestGroupKey[]): Facility[] {
  return groups.flatMap((group) =>
    (loaded.sites.get(GROUP_LAYER[group]) ?? [])
      .filter((f) => group !== 'fire_stations' || f.properties.type !== 'micro')
      .filter((f) => group !== 'micro_fire_stations' || f.properties.type === 'micro')
      .map((f) => ({
        id: String(f.id),
        name: String(f.properties.name ?? f.id),
        lon: f.geometry.coordinates[0],
        lat: f.geometry.coordinates[1],
        group,
        layer: GROUP_LAYER[group],
        properties: f.properties,
      })),
  );
}

const groupsFor = (layers: readonly string[] | undefined): ClosestGroupKey[] => {
  const wanted = new Set(layers ?? CLOSEST_LAYERS);
  return CLOSEST_GROUPS.filter((g) => wanted.has(GROUP_LAYER[g] as (typeof CLOSEST_LAYERS)[number]));
};

interface Prepared {
  net: Network & { graph: NonNullable<Network['graph']> };
  origin: [number, number];
  county: string;
  loaded: Loaded;
  closest: ClosestResult;
  seconds: Map<string, number>;
}

/**
 * The closest-facility answer for `body`. `alsoSearch`: groups ranked too (their times are in
 * `seconds`) but not listed, e.g. depots for the supply tiers.
 */
async function closestFor(db: Db, layers: () => Promise<Loaded>, body: ClosestRequestParsed, alsoSearch: readonly ClosestGroupKey[] = []): Promise<Prepared> {
  const net = await analysisContext(db).network();
  if (!net.graph) throw new ApiError(409, 'no_road_network', `The store has no road network (layer "${ROAD_LAYER}"): import one first.`);
  const origin = toWgs84(body.origin as [number, number], body.crs);
  const county = countyAt(net, origin);
  const groups = groupsFor(body.layers);
  const searched = CLOSEST_GROUPS.filter((g) => groups.includes(g) || alsoSearch.includes(g));
  const loaded = await layers();
  const tiers = [...new Set(body.tiers ?? DEFAULT_TIERS)].sort((a, b) => a - b);
  const closures = closeLinks(net.graph, closureGeometries(body.closures));
  let answer;
  try {
    answer = closestFacilities(net.graph, origin, facilitiesOf(loaded, searched), searched.filter((g) => g !== 'experts' || loaded.sites.has('experts')), {
      maxMinutes: body.maxMinutes,
      tiers,
      limit: body.limit,
      closed: closures.reports.some((r) => r.linksClosed > 0) ? closures.closed : undefined,
    });
  } catch (err) {
    if (err instanceof ClosestError) {
      const parameter = err.code === 'origin_disconnected' ? 'closures' : 'origin';
      throw new ApiError(err.code === 'origin_disconnected' ? 409 : 400, err.code, err.message, parameter, err.params);
    }
    throw err;
  }
  const pieces = net.components();
  const networkNotes = pieces ? islandNotes(pieces, placesOnNetwork(net.graph, [{ ref: 0, kind: 'origin', lon: origin[0], lat: origin[1] }], 'drive')) : [];
  const messages: Message[] = [
    ...loaded.messages.filter((m) => searched.some((g) => GROUP_LAYER[g] === m.params.layer)),
    ...closures.messages,
    ...[...answer.unsnapped].map(([group, count]): Message => ({ code: 'facility_no_road', params: { group, count } })),
  ];
  return {
    net: net as Prepared['net'],
    origin,
    county,
    loaded,
    seconds: answer.seconds,
    closest: {
      origin: { lon: origin[0], lat: origin[1], snapDistanceM: answer.snapDistanceM, county, road: answer.road },
      tiers,
      maxMinutes: body.maxMinutes,
      closures: closures.reports,
      groups: answer.groups.filter((g) => groups.includes(g.key)),
      messages,
      ...(networkNotes.length ? { networkNotes } : {}),
      searchMs: Math.round(answer.searchMs * 10) / 10,
    },
  };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The assessment; depots are read whatever `layers` says, since supplies are always assessed. */
async function assess(db: Db, layers: () => Promise<Loaded>, body: AssessmentRequestParsed): Promise<IncidentAssessment> {
  const p = await closestFor(db, layers, body, ['depots']);
  const layer = (id: string): Feature<Point, Props>[] => p.loaded.sites.get(id) ?? [];
  return assessIncident(
    {
      graph: p.net.graph,
      population: p.net.population,
      towns: p.net.towns,
      origin: p.origin,
      hazard: body.hazard,
      affectedPersons: body.affectedPersons,
      area: body.area ?? DEFAULT_AREA,
      evacuateShare: body.evacuateShare ?? DEFAULT_EVACUATE_SHARE,
      shelterWalkMinutes: body.shelterWalkMinutes ?? DEFAULT_SHELTER_WALK_MINUTES,
      days: body.days ?? DEFAULT_DAYS,
      rates: ratesWith(body.rates),
      depots: layer('depots').map((d) => ({
        seconds: p.seconds.get(String(d.id)) ?? Infinity,
        inventory: (d.properties.inventory as { item: string; quantity: number }[] | undefined) ?? [],
      })),
      shelters: layer('shelters').map((s) => ({
        id: String(s.id),
        name: String(s.properties.name ?? s.id),
        lon: s.geometry.coordinates[0],
        lat: s.geometry.coordinates[1],
        capacity: num(s.properties.capacity),
        hazards: (s.properties.hazards as string[] | undefined) ?? [],
        status: String(s.properties.status ?? 'open'),
        manager: str(s.properties.manager),
        phone: str(s.properties.phone),
        town: str(s.properties.town),
      })),
      geohazards: layer('geohazards').map((h) => ({
        id: String(h.id),
        name: String(h.properties.name ?? h.id),
        lon: h.geometry.coordinates[0],
        lat: h.geometry.coordinates[1],
        type: String(h.properties.type ?? ''),
        risk: String(h.properties.risk ?? ''),
        threatenedPersons: num(h.properties.threatened_persons),
        threatenedProperty: num(h.properties.threatened_property),
        status: String(h.properties.status ?? 'active'),
        monitor: str(h.properties.monitor),
        monitorPhone: str(h.properties.monitor_phone),
        town: str(h.properties.town),
      })),
      zones: p.loaded.zones,
    },
    p.closest,
  );
}

/** The assessment request a stored incident stands for. */
const requestOf = (i: Incident): AssessmentRequestParsed =>
  assessmentRequest.parse({
    origin: [i.lon, i.lat],
    hazard: i.hazard,
    ...(i.affectedPersons !== null ? { affectedPersons: i.affectedPersons } : {}),
    ...(i.area ? { area: i.area } : {}),
    ...(i.closures ? { closures: i.closures } : {}),
  });

export function incidentRoutes(db: Db): Router {
  const r = Router();
  const who = (req: Request) => ({ actor: req.actor, role: req.role });
  const layers = layerCache(db);

  r.post('/analysis/closest', async (req, res) => {
    staff(req);
    res.json((await closestFor(db, layers, parseBody(closestRequest, req.body, CLOSEST_HINT))).closest);
  });

  r.post('/analysis/incident', async (req, res) => {
    staff(req);
    res.json(await assess(db, layers, parseBody(assessmentRequest, req.body, INCIDENT_HINT)));
  });

  r.get('/incidents', async (req, res) => {
    staff(req);
    const status = req.query.status ?? 'open';
    if (typeof status !== 'string' || !([...INCIDENT_STATUS, 'all'] as string[]).includes(status)) {
      throw badRequest('status', 'status must be "open", "closed" or "all".');
    }
    res.json({ incidents: await listIncidents(db, status as Incident['status'] | 'all') });
  });

  r.post('/incidents', async (req, res) => {
    staff(req);
    const b = parseBody(incidentCreate, req.body, CREATE_HINT);
    // The same checks as the analysis (county, road, closures), so that nothing is stored that could not be assessed.
    const { origin, county } = await closestFor(db, layers, closestRequest.parse({ origin: b.origin, crs: b.crs, closures: b.closures, layers: ['fire_stations'] }));
    const [lon, lat] = origin;
    const incident = await createIncident(
      db,
      { title: b.title, hazard: b.hazard, lon, lat, crs: b.crs, county, occurredAt: b.occurredAt, affectedPersons: b.affectedPersons, area: b.area, closures: b.closures, notes: b.notes },
      who(req),
    );
    res.status(201).json(incident);
  });

  const found = async (id: string): Promise<Incident> => {
    const i = await getIncident(db, id);
    if (!i) throw notFound(`No incident "${id}"; GET /api/incidents?status=all lists them.`);
    return i;
  };

  r.get('/incidents/:id', async (req, res) => {
    staff(req);
    res.json(await found(req.params.id));
  });

  r.patch('/incidents/:id', async (req, res) => {
    staff(req);
    const b = parseBody(incidentPatch, req.body, PATCH_HINT);
    const { version, ...change } = b;
    if (change.closures) {
      const now = await found(req.params.id);
      await closestFor(db, layers, closestRequest.parse({ origin: [now.lon, now.lat], closures: change.closures, layers: ['fire_stations'] }));
    }
    try {
      res.json(await changeIncident(db, req.params.id, version, change, who(req)));
    } catch (err) {
      if (err instanceof IncidentMissing) throw notFound(`No incident "${req.params.id}"; GET /api/incidents?status=all lists them.`);
      if (err instanceof IncidentConflict) {
        throw new ApiError(409, 'version_conflict', `The incident changed since version ${version}: it is at version ${err.current.version}. Reload it and try again.`, 'version', {
          version: err.current.version,
        });
      }
      throw err;
    }
  });

  r.get('/incidents/:id/warnings.csv', async (req, res) => {
    staff(req);
    const incident = await found(req.params.id);
    const rows = warningRows(await assess(db, layers, requestOf(incident)));
    const name = `warnings-${incident.id.slice(0, 8)}.csv`;
    res.type(CSV_TYPE).attachment(name).send(Buffer.from(writeRows([[...WARNING_COLUMNS], ...rows])));
  });

  return r;
}
