/**
 * What every shell's first view asks the API for — the configuration, the areas and the catalogue
 * as the signed-in role sees it — asked for as soon as main.tsx runs, while the shell's code and
 * the map library are still arriving: the map's first data requests no longer wait behind them.
 * The same query options as the hooks, so the hooks find the answers in the cache.
 */
import type { QueryClient } from '@tanstack/react-query';
import { areasQuery } from './areas';
import { configQuery } from './config';
import { layersQuery } from './layers';
import { getToken } from './token';

export function prefetchStartup(client: QueryClient): void {
  void client.prefetchQuery(configQuery);
  void client.prefetchQuery(areasQuery);
  void client.prefetchQuery(layersQuery(getToken()));
}
