/**
 * The rescue circle of a selected station (1小时救援圈 with its 15- and 30-minute rings): a query,
 * so each station's circle is computed once and then comes from the cache.
 */
import { useQuery } from '@tanstack/react-query';
import type { IsochroneResult } from '../../../../core/analysis/isochrone/isochrone';
import { ISOCHRONE, RESCUE_CIRCLE, type IsochroneBody } from '../../../../core/analysis/isochrone/request';
import { postJson } from '../../api/http';
import type { LonLat } from '../types';

export const RESCUE_MINUTES = [15, 30, ...RESCUE_CIRCLE.minutes];

/** Layers whose features are rescue bases: selecting one shows its rescue circle. */
export const RESCUE_BASE_LAYERS = ['fire_stations', 'rescue_teams'];

export function useRescueCircle(origin: LonLat | undefined) {
  const body: IsochroneBody = { origins: origin ? [origin] : [], minutes: RESCUE_MINUTES, mode: RESCUE_CIRCLE.mode };
  return useQuery({
    queryKey: ['isochrone', body],
    queryFn: ({ signal }) => postJson<IsochroneResult>(`/api/analysis/${ISOCHRONE.route}`, body, null, signal),
    enabled: Boolean(origin),
    // The road network changes rarely; a station's circle is worth keeping for the session.
    staleTime: 30 * 60_000,
  });
}
