/**
 * The analysis tab (panels/AnalysisPanel.tsx) over the session that outlives it: the run stays on
 * the map, and its legend shows in the layers tab, while the user looks at the layers.
 */
import { createPortal } from 'react-dom';
import { useOneMap } from '../../frame/oneMap';
import { useI18n } from '../../i18n';
import { runLegend } from '../../analyses/registry';
import { AnalysisLegend } from '../../panels/AnalysisLegend';
import { AnalysisPanel } from '../../panels/AnalysisPanel';
import { useAnalysisSession } from './analysisSession';

export default function AnalysisTool() {
  const i18n = useI18n();
  const { t } = i18n;
  const { role, layers, areas, areaCode, adminUnits, selection, panel, legendSlot } = useOneMap();
  const session = useAnalysisSession();
  const { run } = session.analysis;
  const { feature, position } = selection;
  return (
    <>
      {panel.open && panel.tab === 'analysis' && (
        <div className="panel-body">
          <AnalysisPanel
            role={role}
            layers={layers}
            areas={areas}
            areaCode={areaCode}
            drafts={session.drafts}
            onDrafts={session.setDrafts}
            analysis={session.analysis}
            adminUnits={adminUnits}
            picking={session.picking}
            onPicking={session.setPicking}
            selected={position && feature ? { name: String(feature.properties.name ?? feature.id), position } : undefined}
            onFit={session.fitRun}
          />
        </div>
      )}
      {run &&
        legendSlot &&
        createPortal(
          <section className="legend" aria-label={t('analysisResult')}>
            <h2>{t('analysisResult')}</h2>
            <AnalysisLegend groups={runLegend(run, i18n)} />
          </section>,
          legendSlot,
        )}
    </>
  );
}
