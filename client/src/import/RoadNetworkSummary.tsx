/**
 * The road-network part of an import report: the connectivity rule (chosen or detected) and the
 * pieces the network falls into, and for a replace the deletions per county (only the counties
 * the file covers).
 */
import type { ImportReport } from '../api/import';
import { useI18n } from '../i18n';

export function RoadNetworkSummary({ report }: { report: ImportReport }) {
  const { t, n } = useI18n();
  const net = report.network;
  const byCounty = report.deletedByCounty ? Object.entries(report.deletedByCounty) : [];
  if (!net && byCounty.length === 0) return null;
  return (
    <ul className="import-report" data-testid="import-roads">
      {net && (
        <li data-testid="report-connectivity" data-rule={net.connectivity}>
          {t('roads.connectivity', { rule: t(`roads.connectivity.${net.connectivity}`) })}
          <span className="muted"> · {t(`roads.connectivity.${net.connectivityFrom}`)}</span>
        </li>
      )}
      {net && (
        <li data-testid="report-pieces">
          {t('roads.pieces', { count: n(net.count), share: n(net.largestShare * 100, 1), islands: n(net.islands), islandNodes: n(net.islandNodes) })}
        </li>
      )}
      {byCounty.length > 0 && (
        <li data-testid="report-deleted-by-county">
          {t('roads.deletedByCounty')}{' '}
          {byCounty.map(([county, deleted]) => t('roads.deletedInCounty', { county: county || '—', deleted: n(deleted) })).join('；')}
        </li>
      )}
    </ul>
  );
}
