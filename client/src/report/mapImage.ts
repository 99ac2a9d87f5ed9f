/**
 * The report's map: an off-screen MapLibre map of the county (coverage after the new sites, as the
 * "after" map shows it, with the existing facilities) rendered once with its drawing buffer kept,
 * copied onto a 2D canvas, and over it what MapLibre cannot write offline (it has no glyphs; the
 * canvas does): the town names, the sites by their numbers, a scale bar and a north arrow.
 */
import type { Bbox } from '../api/areas';
import type { FeaturePage } from '../api/features';
import type { SitingResult } from '../analyses/planner-siting/goals';
import { isManualSite } from '../analyses/planner-siting/usePlan';
import { MANUAL_COLOR, SITE_COLOR } from '../map/analysisLayers';
import { coverageMap, scaleBar, showCoverage, showExisting, townCollection, townLabels } from '../map/coverageMap';
import { LABEL_FONT } from '../map/symbols';

/** Gives up on a map that has not drawn in this time (ms): the report then says so in place of the map. */
const TIMEOUT_MS = 20_000;

/** `north`: the north arrow's letter in the reader's language. */
export async function mapImage(result: SitingResult, adminUnits: FeaturePage | undefined, bbox: Bbox, width: number, height: number, north = 'N'): Promise<HTMLCanvasElement> {
  const container = document.createElement('div');
  // Laid out (MapLibre needs a size) but out of sight.
  Object.assign(container.style, { position: 'fixed', left: '-10000px', top: '0', width: `${width}px`, height: `${height}px` });
  document.body.appendChild(container);
  const map = coverageMap(container, { bbox, interactive: false, preserveDrawingBuffer: true, pixelRatio: 1 });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('The report map did not finish drawing in time.')), TIMEOUT_MS);
      map.once('load', () => {
        showCoverage(map, townCollection(result, adminUnits, 'after'));
        showExisting(map, result);
        map.once('idle', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    });
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d')!;
    g.drawImage(map.getCanvas(), 0, 0, width, height);
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.font = `13px ${LABEL_FONT}`;
    g.lineJoin = 'round';
    for (const town of townLabels(result, adminUnits)) {
      const p = map.project([town.lon, town.lat]);
      g.lineWidth = 3;
      g.strokeStyle = 'rgba(255,255,255,0.9)';
      g.strokeText(town.name, p.x, p.y);
      g.fillStyle = '#212121';
      g.fillText(town.name, p.x, p.y);
    }
    for (const site of [...result.chosen].sort((a, b) => (b.number ?? b.rank) - (a.number ?? a.rank))) {
      const p = map.project([site.lon, site.lat]);
      g.beginPath();
      g.arc(p.x, p.y, 11, 0, 2 * Math.PI);
      g.fillStyle = isManualSite(site.id) ? MANUAL_COLOR : SITE_COLOR;
      g.fill();
      g.lineWidth = 2;
      g.strokeStyle = '#ffffff';
      g.stroke();
      g.fillStyle = '#ffffff';
      g.font = `700 13px ${LABEL_FONT}`;
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText(String(site.number ?? site.rank), p.x, p.y + 0.5);
    }
    drawFurniture(g, map, width, height, north);
    return canvas;
  } finally {
    map.remove();
    container.remove();
  }
}

/** A scale bar (bottom left) and a north arrow (top right); the map is never rotated. */
function drawFurniture(g: CanvasRenderingContext2D, map: { getCenter(): { lat: number }; getZoom(): number }, width: number, height: number, north: string): void {
  const bar = scaleBar(map.getCenter().lat, map.getZoom(), Math.min(160, width / 4));
  const x = 16;
  const y = height - 18;
  g.fillStyle = 'rgba(255,255,255,0.85)';
  g.fillRect(x - 6, y - 22, bar.px + 12, 30);
  g.strokeStyle = '#212121';
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(x, y - 6);
  g.lineTo(x, y);
  g.lineTo(x + bar.px, y);
  g.lineTo(x + bar.px, y - 6);
  g.stroke();
  g.fillStyle = '#212121';
  g.font = `12px ${LABEL_FONT}`;
  g.textAlign = 'center';
  g.textBaseline = 'alphabetic';
  g.fillText(bar.label, x + bar.px / 2, y - 8);
  const ax = width - 28;
  const ay = 18;
  g.fillStyle = 'rgba(255,255,255,0.85)';
  g.fillRect(ax - 14, ay - 6, 28, 44);
  g.fillStyle = '#212121';
  g.beginPath();
  g.moveTo(ax, ay);
  g.lineTo(ax + 8, ay + 18);
  g.lineTo(ax, ay + 13);
  g.lineTo(ax - 8, ay + 18);
  g.closePath();
  g.fill();
  g.font = `700 13px ${LABEL_FONT}`;
  g.textBaseline = 'middle';
  g.fillText(north, ax, ay + 29);
}
