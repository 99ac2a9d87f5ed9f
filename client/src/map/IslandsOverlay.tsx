/**
 * The islands of the chosen county's road network as a map overlay for staff (commanders and
 * planners): a toggle and its legend in the layers tab, the lines on the map (islandLayers.ts),
 * fed by GET /api/network/components?county= through useIslands. Kept mounted by the frame so the
 * overlay stays on while the layers tab is closed.
 */
import { useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useConnectivity, useIslands } from '../api/network';
import { ApiError } from '../api/http';
import { PART_ORDER, useMapPart } from '../frame/mapParts';
import { useOneMap } from '../frame/oneMap';
import { useI18n } from '../i18n';
import { AnalysisLegend } from '../panels/AnalysisLegend';
import { islandCount, islandDeck, islandLegend } from './islandLayers';

export default function IslandsOverlay() {
  const i18n = useI18n();
  const { t, n } = i18n;
  const { areaCode, legendSlot } = useOneMap();
  const [on, setOn] = useState(false);
  const islands = useIslands(areaCode, on);
  const rules = useConnectivity(on);
  const pieces = on ? islands.data : undefined;
  const deck = useMemo(() => pieces && islandDeck(pieces, i18n), [pieces, i18n]);
  useMapPart('network-islands', PART_ORDER.islands, useMemo(() => deck && { decks: [deck] }, [deck]));
  if (!legendSlot) return null;
  const rule = areaCode && rules.data ? (rules.data.rules[areaCode] ?? rules.data.fallback) : undefined;
  const noRoads = islands.error instanceof ApiError && islands.error.code === 'no_road_network';
  return createPortal(
    <section className="legend islands-overlay" aria-label={t('islands.title')} data-testid="islands-overlay">
      <label className="islands-toggle">
        <input type="checkbox" data-testid="islands-toggle" checked={on} onChange={(e) => setOn(e.target.checked)} />
        {t('islands.toggle')}
      </label>
      {on && islands.isPending && <p className="muted hint">{t('loading')}</p>}
      {on && islands.error && <p className="muted hint">{noRoads ? t('islands.noRoads') : t('loadFailed', { message: islands.error.message })}</p>}
      {pieces && (
        <div data-testid="islands-legend" data-count={islandCount(pieces)} data-county={areaCode}>
          <AnalysisLegend groups={[islandLegend(pieces, i18n)]} />
          <p className="muted hint">
            {islandCount(pieces) === 0 ? t('islands.none') : t('islands.pieces', { count: n(pieces.summary.count), share: n(pieces.summary.largestShare * 100, 1) })}
            {pieces.features.length < islandCount(pieces) && ` · ${t('islands.capped', { shown: n(pieces.features.length) })}`}
          </p>
          {rule && (
            <p className="muted hint" data-testid="islands-rule" data-rule={rule}>
              {t('islands.rule', { rule: t(`connectivity.name.${rule}`) })}
            </p>
          )}
          <p className="muted hint">{t('islands.hint')}</p>
        </div>
      )}
    </section>,
    legendSlot,
  );
}
