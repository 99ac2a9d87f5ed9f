/** A layer's export menu, loaded when its row is expanded (export.ts also writes analysis results). */
import type { Filters } from '../api/features';
import { exportLayer } from '../export';
import { useI18n } from '../i18n';
import { ExportMenu } from './ExportMenu';

export default function LayerExport({ layerId, filters }: { layerId: string; filters?: Filters }) {
  const { t } = useI18n();
  return <ExportMenu id={layerId} label={t('export')} run={(format, crs) => exportLayer(layerId, format, crs, filters)} />;
}
