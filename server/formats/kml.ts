/**
 * KML 2.2 (OGC 07-147r2) and KMZ: the format of Google Earth, Ovital (奥维) and most phone
 * mapping apps. KML coordinates are WGS 84 longitude/latitude by definition (§6.2); a GCJ-02
 * export breaks that on purpose for Amap-based tools and says so in the document description.
 *
 * Writing: one Schema with a SimpleField per column (table.ts), Placemarks with a name and their
 * values as SchemaData. Reading: @tmcw/togeojson on an @xmldom/xmldom DOM, keeping each
 * Placemark's name, description, address, phone and ExtendedData (Data and SchemaData), and the
 * folder path it sits in; styles and view settings are dropped.
 */
import { DOMParser } from '@xmldom/xmldom';
import { kmlWithFolders, type Folder } from '@tmcw/togeojson';
import type { Feature, Geometry, Position } from 'geojson';
import { parseCrs, type Crs } from '../../core/geo/crs.js';
import { note, type Note } from '../../core/note.js';
import { decode } from '../import/decode.js';
import { ReadError, type Source, type SourceRecord } from './source.js';
import { unzipEntries } from './zip.js';
import { CRS_NOTE, rowOf, type ExportData } from './table.js';

export const KML_TYPE = 'application/vnd.google-earth.kml+xml';

// ---------------------------------------------------------------- writing

/** XML 1.0 text: escaped, without the control characters XML forbids. */
const esc = (s: string): string =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const coord = (p: Position): string => `${p[0]},${p[1]}`;
const ring = (ps: Position[]): string => `<LinearRing><coordinates>${ps.map(coord).join(' ')}</coordinates></LinearRing>`;

function geometryKml(g: Geometry): string {
  switch (g.type) {
    case 'Point':
      return g.coordinates.length ? `<Point><coordinates>${coord(g.coordinates)}</coordinates></Point>` : '';
    case 'LineString':
      return `<LineString><tessellate>1</tessellate><coordinates>${g.coordinates.map(coord).join(' ')}</coordinates></LineString>`;
    case 'Polygon': {
      const [outer, ...holes] = g.coordinates;
      if (!outer) return '';
      return `<Polygon><outerBoundaryIs>${ring(outer)}</outerBoundaryIs>${holes.map((h) => `<innerBoundaryIs>${ring(h)}</innerBoundaryIs>`).join('')}</Polygon>`;
    }
    case 'MultiPoint':
      return multi(g.coordinates.map((coordinates) => ({ type: 'Point', coordinates })));
    case 'MultiLineString':
      return multi(g.coordinates.map((coordinates) => ({ type: 'LineString', coordinates })));
    case 'MultiPolygon':
      return multi(g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates })));
    case 'GeometryCollection':
      return multi(g.geometries);
  }
}

const multi = (parts: Geometry[]): string => `<MultiGeometry>${parts.map(geometryKml).join('')}</MultiGeometry>`;

const SIMPLE_TYPE = { text: 'string', integer: 'int', real: 'double' } as const;

export function writeKml(data: ExportData): Uint8Array {
  const schemaId = /^[A-Za-z_][\w.-]*$/.test(data.name) ? data.name : 'fields';
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2">',
    '<Document>',
    `<name>${esc(data.title)}</name>`,
    `<description>${esc(`坐标系 Coordinates: ${CRS_NOTE[data.crs]}`)}</description>`,
    `<Schema name="${esc(schemaId)}" id="${esc(schemaId)}">`,
    ...data.columns.map((c) => `<SimpleField type="${SIMPLE_TYPE[c.type]}" name="${esc(c.name)}"></SimpleField>`),
    '</Schema>',
    `<Folder><name>${esc(data.title)}</name>`,
  ];
  for (const f of data.features) {
    const row = rowOf(f);
    const name = row.name ?? row.id;
    const cells = data.columns
      .map((c) => [c.name, c.value(row)] as const)
      .filter(([, v]) => v !== null)
      .map(([n, v]) => `<SimpleData name="${esc(n)}">${esc(String(v))}</SimpleData>`);
    out.push(
      `<Placemark>${name === undefined || name === null ? '' : `<name>${esc(String(name))}</name>`}` +
        `<ExtendedData><SchemaData schemaUrl="#${esc(schemaId)}">${cells.join('')}</SchemaData></ExtendedData>` +
        `${f.geometry ? geometryKml(f.geometry) : ''}</Placemark>`,
    );
  }
  out.push('</Folder>', '</Document>', '</kml>', '');
  return new TextEncoder().encode(out.join('\n'));
}

// ---------------------------------------------------------------- reading

const KEPT = ['name', 'description', 'address', 'phoneNumber'];

/** An HTML description (Ovital and Google Earth write tables) as plain text. */
function plainText(v: unknown): unknown {
  if (!v || typeof v !== 'object' || !('value' in v)) return v;
  return String((v as { value: unknown }).value)
    .replace(/<br\s*\/?>|<\/(p|div|tr|li)>/gi, '\n')
    .replace(/<\/t[dh]>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]*\n[\s]*/g, '\n')
    .trim();
}

const PLURAL = { Point: 'MultiPoint', LineString: 'MultiLineString', Polygon: 'MultiPolygon' } as const;

/** 2-D; a MultiGeometry of one kind as the matching Multi* type (togeojson gives a GeometryCollection). */
function geometryOf(g: Geometry | null): { geometry?: Geometry; geometryError?: string; geometryNote?: Note } {
  if (!g) return { geometryError: 'the Placemark has no geometry', geometryNote: note('geometry_kml_none') };
  const flat = (c: unknown): unknown => (Array.isArray(c) && typeof c[0] === 'number' ? [c[0], c[1]] : (c as unknown[]).map(flat));
  if (g.type !== 'GeometryCollection') return { geometry: { ...g, coordinates: flat(g.coordinates) } as Geometry };
  const kinds = [...new Set(g.geometries.map((p) => p.type))];
  const kind = kinds[0] as keyof typeof PLURAL;
  if (kinds.length !== 1 || !(kind in PLURAL)) {
    return { geometryError: `a MultiGeometry mixing ${kinds.join(' and ')}; split it into one Placemark per kind`, geometryNote: note('geometry_kml_mixed', { kinds: kinds.join(' + ') }) };
  }
  const coordinates = g.geometries.map((p) => flat((p as { coordinates: unknown }).coordinates));
  return { geometry: { type: PLURAL[kind], coordinates } as Geometry };
}

function parseXml(text: string, filename: string): Document {
  let problem: string | undefined;
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') problem ??= msg;
      },
    }).parseFromString(text, 'text/xml') as unknown as Document;
  } catch (err) {
    problem = (err as Error).message;
  }
  if (problem) throw new ReadError(`${filename} is not well-formed XML: ${problem.split('\n')[0]}. Open it in a text editor, or export it from the app again.`, note('read_xml_malformed', { file: filename }));
  const root = doc!.documentElement;
  if (!root || root.localName !== 'kml') {
    throw new ReadError(`${filename} is XML but not KML: its root element is <${root?.tagName ?? '?'}>, expected <kml>.`, note('read_kml_not_kml', { file: filename, root: root?.tagName ?? '?' }));
  }
  return doc!;
}

/** Reads KML text into source records; coordinates are WGS 84 by definition. */
export function readKmlText(text: string, filename: string, format: 'kml' | 'kmz' = 'kml'): Source & { crs: Crs; crsFrom: string } {
  const doc = parseXml(text, filename);
  // The names the file's own data uses: ExtendedData Data/@name and SchemaData SimpleData/@name.
  const dataNames = new Set<string>();
  for (const tag of ['Data', 'SimpleData']) {
    const els = doc.getElementsByTagName(tag);
    for (let i = 0; i < els.length; i++) dataNames.add(els[i].getAttribute('name') ?? '');
  }
  dataNames.delete('');
  const records: SourceRecord[] = [];
  const columns = new Set<string>();
  const walk = (node: Folder | { type: 'root'; children: Folder['children'] }, path: string[]): void => {
    for (const child of node.children) {
      if (child.type === 'folder') {
        walk(child, [...path, String(child.meta.name ?? '')].filter(Boolean));
        continue;
      }
      const f = child as Feature<Geometry | null, Record<string, unknown>>;
      if (f.properties?.['@geometry-type']) continue; // GroundOverlay, NetworkLink
      const values: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(f.properties ?? {})) if (KEPT.includes(k) || dataNames.has(k)) values[k] = plainText(v);
      if (path.length) values.folder = path.join(' / ');
      const rawId = values.id ?? f.id;
      delete values.id;
      Object.keys(values).forEach((k) => columns.add(k));
      records.push({ row: records.length + 1, id: rawId === undefined || rawId === '' ? undefined : String(rawId), values, ...geometryOf(f.geometry) });
    }
  };
  walk(kmlWithFolders(doc as never), []);
  if (records.length === 0) throw new ReadError(`${filename} has no Placemarks: nothing to import.`, note('read_kml_no_placemarks', { file: filename }));
  return {
    format,
    columns: [...columns],
    records,
    geometryFrom: 'KML Placemark geometry',
    geometryNote: note('import_geometry_kml'),
    crs: parseCrs('wgs84')!,
    crsFrom: 'KML is WGS 84 by definition (OGC 07-147r2 §6.2)',
  };
}

export function readKml(bytes: Uint8Array, filename: string): Source & { crs: Crs; crsFrom: string; encoding: string } {
  const { text, encoding } = decode(bytes);
  return { ...readKmlText(text, filename), encoding };
}

/** KMZ: a zip whose main document is doc.kml or else the first .kml at the top level (KML 2.2 §C.2). */
export function readKmz(bytes: Uint8Array, filename: string): Source & { crs: Crs; crsFrom: string; encoding: string } {
  const entries = unzipEntries(bytes, filename);
  const names = [...entries.keys()].filter((n) => n.toLowerCase().endsWith('.kml'));
  const main = names.find((n) => n.toLowerCase() === 'doc.kml') ?? names.find((n) => !n.includes('/')) ?? names[0];
  if (!main) throw new ReadError(`${filename} is a KMZ without a .kml file inside (it holds ${[...entries.keys()].slice(0, 5).join(', ') || 'nothing'}).`, note('read_kmz_no_kml', { file: filename }));
  const { text, encoding } = decode(entries.get(main)!);
  return { ...readKmlText(text, `${filename}/${main}`, 'kmz'), encoding };
}
