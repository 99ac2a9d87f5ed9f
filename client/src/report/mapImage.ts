/**
 * The report's map: an off-screen MapLibre map of the county (coverage after the new sites, as the
 * "after" map shows it) rendered once with its drawing buffer kept, copied onto a 2D canvas, and
 * the sites drawn over it numbered by rank (MapLibre has no glyphs offline; the canvas does).
 */
import type { Bbox } from '../api/areas';
import type { FeaturePage } from '../api/features';
import type { SitingResult } from '../analyses/planner-siting/goals';
import { isManualSite } from '../analyses/planner-siting/usePlan';
import { MANUAL_COLOR, SITE_COLOR } from '../map/analysisLayers';
import { coverageMap, showCoverage, townCollection } from '../map/coverageMap';
import { LABEL_FONT } from '../map/symbols';

/** Gives up on a map that has not drawn in this time (ms): the report then says so in place of the map. */
const TIMEOUT_MS = 20_000;

export async function mapImage(result: SitingResult, adminUnits: FeaturePage | undefined, bbox: Bbox, width: number, height: number): Promise<HTMLCanvasElement> {
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
    for (const site of [...result.chosen].sort((a, b) => b.rank - a.rank)) {
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
      g.fillText(String(site.rank), p.x, p.y + 0.5);
    }
    return canvas;
  } finally {
    map.remove();
    container.remove();
  }
}
