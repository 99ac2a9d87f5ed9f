/**
 * Before and after, side by side (stacked on a phone): two synchronised maps of the county's towns
 * coloured by the share of people covered, with town names, the existing facilities (both maps),
 * the new sites (after), a scale bar and a north arrow, one legend for both. Panning or zooming either moves
 * the other. Each map says, on its element, how many towns it has drawn (for the browser test).
 */
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import type * as maplibregl from 'maplibre-gl';
import type { Bbox } from '../api/areas';
import type { FeaturePage } from '../api/features';
import type { SitingResult } from '../analyses/planner-siting/goals';
import { useI18n } from '../i18n';
import { coverageLegend, SITE_COLOR } from '../map/analysisLayers';
import { coverageMap, EXISTING_COLOR, mapFurniture, showCoverage, showExisting, siteBadges, townCollection, townNameMarkers, TOWNS_LAYER, type Moment } from '../map/coverageMap';
import { AnalysisLegend } from './AnalysisLegend';

interface Props {
  result: SitingResult;
  adminUnits?: FeaturePage;
  bbox: Bbox;
  title: string;
  onClose(): void;
}

const MOMENTS: Moment[] = ['before', 'after'];

export function CompareMaps({ result, adminUnits, bbox, title, onClose }: Props) {
  const i18n = useI18n();
  const { t, n } = i18n;
  const north = t('mapNorth');
  const containers = useRef<(HTMLDivElement | null)[]>([]);
  const maps = useRef<maplibregl.Map[]>([]);
  const latest = useRef({ result, adminUnits });
  latest.current = { result, adminUnits };

  useEffect(() => {
    const created = MOMENTS.map((moment, k) => {
      const map = coverageMap(containers.current[k]!, { bbox });
      mapFurniture(map, north);
      const el = containers.current[k]!;
      map.on('load', () => {
        const { result: r, adminUnits: a } = latest.current;
        showCoverage(map, townCollection(r, a, moment));
        showExisting(map, r);
      });
      map.on('idle', () => {
        el.dataset.towns = String(map.getLayer(TOWNS_LAYER) ? map.queryRenderedFeatures({ layers: [TOWNS_LAYER] }).length : 0);
      });
      return map;
    });
    // One follows the other; the flag stops the echo of its own move.
    let syncing = false;
    created.forEach((map, k) => {
      const other = created[1 - k];
      map.on('move', () => {
        if (syncing) return;
        syncing = true;
        other.jumpTo({ center: map.getCenter(), zoom: map.getZoom() });
        syncing = false;
      });
    });
    maps.current = created;
    return () => created.forEach((m) => m.remove());
  }, [bbox, north]);

  useEffect(() => {
    maps.current.forEach((map, k) => {
      if (map.getSource('towns')) showCoverage(map, townCollection(result, adminUnits, MOMENTS[k]));
      if (map.getSource('existing')) showExisting(map, result);
    });
    const names = maps.current.flatMap((map) => townNameMarkers(map, result, adminUnits));
    const after = maps.current[MOMENTS.indexOf('after')];
    const badges = after ? siteBadges(after, result) : [];
    return () => [...names, ...badges].forEach((b) => b.remove());
  }, [result, adminUnits, bbox]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const share = { before: result.before, after: result.after };
  return createPortal(
    <div className="compare-maps" role="dialog" aria-modal="true" aria-label={title} data-testid="compare-maps">
      <header>
        <h2>{title}</h2>
        <AnalysisLegend
          groups={[
            coverageLegend(i18n),
            {
              title: t('kindSiting'),
              entries: [
                { color: EXISTING_COLOR, style: 'fill', label: t('legendExisting') },
                { color: SITE_COLOR, style: 'fill', label: t('legendSites') },
              ],
            },
          ]}
        />
        <button type="button" className="close" aria-label={t('close')} onClick={onClose} data-testid="compare-close">
          ×
        </button>
      </header>
      <div className="compare-panes">
        {MOMENTS.map((moment, k) => (
          <figure key={moment} className="compare-pane">
            <figcaption>
              <strong>{t(moment === 'before' ? 'compareBefore' : 'compareAfter')}</strong>{' '}
              {t('compareShare', { covered: n(share[moment].covered, 0), share: n(share[moment].share * 100, 1) })}
            </figcaption>
            <div
              className="compare-map"
              data-testid={`compare-map-${moment}`}
              ref={(el) => {
                containers.current[k] = el;
              }}
            />
          </figure>
        ))}
      </div>
    </div>,
    document.body,
  );
}
