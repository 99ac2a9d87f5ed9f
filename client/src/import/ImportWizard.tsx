/**
 * The import sheet, docked at the right (a bottom sheet on a phone) so the map stays in view:
 * 1 what the file is (target layer, coordinate system, mode), 2 the dry run's preview — report,
 * rejected rows, column mapping, and the features drawn on the map — in which the CRS can still
 * be changed, 3 the real import with upload and server progress, then its report.
 */
import { ApiError } from '../api/http';
import { ImportError, type ImportMode, type ImportPhase, type ImportReport } from '../api/import';
import { ID_COLUMNS } from '../../../core/import-report';
import type { Note } from '../../../core/note';
import { downloadTemplate } from '../export';
import type { Layer } from '../api/layers';
import { useI18n, type I18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { errorDetail } from '../i18n/errorDetail';
import { noteText } from '../i18n/notes';
import { ConnectivityChooser } from './ConnectivityChooser';
import { CrsChooser, useCrsName } from './CrsChooser';
import { RoadNetworkSummary } from './RoadNetworkSummary';
import { NETWORK_LAYER, type ImportState, type Step } from './useImport';

const MODES: { value: ImportMode; label: MessageKey; hint: MessageKey }[] = [
  { value: 'append', label: 'modeAppend', hint: 'modeAppendHint' },
  { value: 'upsert', label: 'modeUpsert', hint: 'modeUpsertHint' },
  { value: 'replace', label: 'modeReplace', hint: 'modeReplaceHint' },
];

const STEPS: { id: Step; label: MessageKey }[] = [
  { id: 'setup', label: 'importStepSetup' },
  { id: 'preview', label: 'importStepPreview' },
  { id: 'import', label: 'importStepImport' },
];

const WARNING: Record<string, MessageKey> = {
  projected_as_degrees: 'warnProjectedAsDegrees',
  degrees_as_projected: 'warnDegreesAsProjected',
  swapped_lat_lon: 'warnSwapped',
  swapped_northing_first: 'warnSwapped',
  nothing_to_import: 'importErrNothing',
  outside_area: 'warnOutsideArea',
  offset_unknown: 'warnOffsetUnknown',
};

const PHASE: Record<ImportPhase, MessageKey> = {
  receiving: 'phaseReceiving',
  reading: 'phaseReading',
  checking: 'phaseChecking',
  writing: 'phaseWriting',
  done: 'phaseDone',
  failed: 'phaseFailed',
};

const ERROR_TITLE: Record<string, MessageKey> = {
  unreadable_file: 'importErrUnreadable',
  nothing_to_import: 'importErrNothing',
  too_large: 'importErrTooLarge',
  bad_parameter: 'importErrParameter',
  crs_needed: 'importErrCrsNeeded',
};

function ErrorBox({ error, testId }: { error: Error; testId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = errorDetail(error, i18n);
  const title =
    error instanceof ApiError
      ? error.status === 0
        ? t('errNetwork')
        : error.status === 401 || error.status === 403
          ? t('errUnauthorized')
          : t(ERROR_TITLE[error.code] ?? 'importFailed')
      : t('importFailed');
  return (
    <div className="run-error" role="alert" data-testid={testId}>
      <strong>{title}</strong>
      {detail.technical && i18n.lang !== 'en' ? (
        <details>
          <summary>{t('errorTechnical')}</summary>
          <p lang="en">{detail.text}</p>
        </details>
      ) : (
        <p>{detail.text}</p>
      )}
    </div>
  );
}

const fileSize = (bytes: number, n: I18n['n']): string => (bytes < 1024 * 1024 ? `${n(bytes / 1024, 1)} KB` : `${n(bytes / 1024 / 1024, 1)} MB`);

interface Props {
  state: ImportState;
  layers: Layer[];
  onFit(): void;
  onClose(): void;
}

export function ImportWizard({ state, layers, onFit, onClose }: Props) {
  const { t, l, n } = useI18n();
  const crsName = useCrsName();
  const { file, choices, setChoices, step, setStep, report } = state;
  const layer = layers.find((x) => x.id === choices.layerId);
  if (!file) return null;
  const stepIndex = STEPS.findIndex((s) => s.id === step);
  const busy = state.importing;
  return (
    <section className="import-sheet" role="dialog" aria-label={t('importTitle')} data-testid="import-wizard" data-step={step}>
      <header>
        <h2>{t('importTitle')}</h2>
        <button type="button" className="close" aria-label={t('close')} title={t('close')} onClick={onClose} disabled={busy}>
          ×
        </button>
      </header>
      <ol className="import-steps">
        {STEPS.map((s, i) => (
          <li key={s.id} className={i === stepIndex ? 'current' : i < stepIndex ? 'done' : ''} aria-current={i === stepIndex ? 'step' : undefined}>
            <span>{i + 1}</span>
            {t(s.label)}
          </li>
        ))}
      </ol>
      <div className="import-body">
        <p className="import-file" data-testid="import-file-name">
          <strong>{file.name}</strong> <span className="muted">{fileSize(file.size, n)}</span>
        </p>

        {step === 'setup' && (
          <>
            <label className="import-field">
              <span>{t('importTarget')}</span>
              <select data-testid="import-layer" value={choices.layerId ?? ''} onChange={(e) => setChoices({ ...choices, layerId: e.target.value || undefined, key: 'id' })}>
                <option value="">{t('importChooseLayer')}</option>
                {layers.map((x) => (
                  <option key={x.id} value={x.id}>
                    {l(x.name)}
                  </option>
                ))}
              </select>
            </label>
            {state.guessed && state.guessed === choices.layerId && <p className="muted hint">{t('importGuessed')}</p>}
            {layer && (
              <button type="button" className="link-button" data-testid="import-template" title={t('importTemplateHint')} onClick={() => void downloadTemplate(layer.id)}>
                {t('importTemplate')}
              </button>
            )}
            <CrsChooser value={choices.crs} onChange={(crs) => setChoices({ ...choices, crs })} />
            <ModeChooser state={state} layer={layer} />
            {layer?.id === NETWORK_LAYER && (
              <ConnectivityChooser value={choices.connectivity} allowAuto onChange={(connectivity) => setChoices({ ...choices, connectivity })} />
            )}
            <div className="run-row">
              <button type="button" className="primary" data-testid="import-dry-run" disabled={!layer} onClick={() => setStep('preview')}>
                {t('importPreview')}
              </button>
              <span className="muted hint">{t('importPreviewHint')}</span>
            </div>
          </>
        )}

        {step === 'preview' && (
          <>
            <CrsChooser
              value={choices.crs}
              onChange={(crs) => setChoices({ ...choices, crs })}
              candidates={state.dryRunError instanceof ImportError && state.dryRunError.candidates.length ? state.dryRunError.candidates : report?.crsCandidates}
            />
            {report?.network && (
              <ConnectivityChooser
                value={choices.connectivity === 'auto' ? report.network.connectivity : choices.connectivity}
                allowAuto={false}
                onChange={(connectivity) => setChoices({ ...choices, connectivity })}
              />
            )}
            {state.updating && (
              <p className="run-status" data-testid="import-updating">
                <span className="spinner" aria-hidden /> {t('importChecking')}
              </p>
            )}
            {state.dryRunError && !state.updating && <ErrorBox error={state.dryRunError} testId="import-error" />}
            {report && !state.dryRunError && <ReportView report={report} layer={layer} preview onFit={onFit} />}
            {report && !state.dryRunError && (
              <>
                {report.mode === 'replace' && (
                  <p className="import-warning" role="alert" data-testid="replace-warning">
                    {t('replaceWarning', { layer: layer ? l(layer.name) : report.layer, deleted: n(report.deleted), imported: n(report.importable) })}
                  </p>
                )}
                <div className="run-row import-actions">
                  <button type="button" onClick={() => setStep('setup')}>
                    {t('importBack')}
                  </button>
                  <button
                    type="button"
                    className={`primary${report.mode === 'replace' ? ' destructive' : ''}`}
                    data-testid="import-confirm"
                    disabled={state.updating || report.importable === 0}
                    onClick={() => state.confirm(report)}
                  >
                    {t(report.mode === 'replace' ? 'importConfirmReplace' : 'importConfirm', { count: n(report.importable), crs: crsName(report.crs) })}
                  </button>
                </div>
              </>
            )}
          </>
        )}

        {step === 'import' && <ImportProgress state={state} layer={layer} onClose={onClose} />}
      </div>
    </section>
  );

}

function ModeChooser({ state, layer }: { state: ImportState; layer?: Layer }) {
  const { t, l, n } = useI18n();
  const { choices, setChoices } = state;
  const keys = layer ? ['id', ...layer.fields.filter((f) => f.type === 'string').map((f) => f.name)] : ['id'];
  return (
    <fieldset className="import-modes">
      <legend>{t('importMode')}</legend>
      {MODES.map((m) => (
        <label key={m.value} className={choices.mode === m.value ? 'chosen' : ''}>
          <input type="radio" name="import-mode" data-mode={m.value} checked={choices.mode === m.value} onChange={() => setChoices({ ...choices, mode: m.value })} />
          <span>
            {t(m.label)}
            <small className="muted">{t(m.hint)}</small>
          </span>
        </label>
      ))}
      {choices.mode === 'upsert' && (
        <label className="import-field">
          <span>{t('importKey')}</span>
          <select data-testid="import-key" value={choices.key} onChange={(e) => setChoices({ ...choices, key: e.target.value })}>
            {keys.map((k) => {
              const f = layer?.fields.find((x) => x.name === k);
              return (
                <option key={k} value={k}>
                  {f ? `${l(f.label)} (${k})` : t('importKeyId')}
                </option>
              );
            })}
          </select>
        </label>
      )}
      {choices.mode === 'replace' && layer && (
        <p className="import-warning" role="alert">
          {t('replaceWarningSetup', { layer: l(layer.name), count: n(layer.count) })}
        </p>
      )}
    </fieldset>
  );
}

function ReportView({ report, layer, preview, onFit }: { report: ImportReport; layer?: Layer; preview: boolean; onFit?(): void }) {
  const i18n = useI18n();
  const { t, l, n } = i18n;
  const crsName = useCrsName();
  const fieldLabel = (name: string): string => {
    const f = layer?.fields.find((x) => x.name === name);
    return f ? l(f.label) : name;
  };
  // A key or field named in a note reads as its label; a stored id stays as it is.
  const say = (x: Note) => noteText(x, i18n, { key: (v) => fieldLabel(String(v)), field: (v) => fieldLabel(String(v)), earlier: String, other: String, distanceM: (v) => n(Number(v), 0) });
  const rejected = report.rejectedCount;
  // Not a field, but not dropped either: the coordinates and the id are read from these columns.
  const readFrom = (col: string): string | undefined =>
    report.geometryFrom.includes(`"${col}"`) ? t('columnGeometry') : ID_COLUMNS.includes(col.trim().toLowerCase()) ? t('columnId') : undefined;
  const dropped = report.unmappedColumns.filter((col) => !readFrom(col)).length;
  const crsFrom: MessageKey | undefined = report.crsFrom === 'request' ? 'crsFromRequest' : report.crsFrom === 'file' ? 'crsFromFile' : report.crsFrom === 'detected' ? 'crsFromDetected' : undefined;
  return (
    <div className="import-report" data-testid={preview ? 'import-report' : 'import-final'} data-crs={report.crs} data-dry-run={String(report.dryRun)}>
      <ul className="import-summary">
        <li>
          {t('reportFormat', { format: report.format.toUpperCase(), encoding: (report.encoding ?? '—').toUpperCase() })}
        </li>
        <li data-testid="report-crs">
          {t('reportCrs', { crs: crsName(report.crs) })}
          {crsFrom && <span className="muted"> · {t(crsFrom)}</span>}
          {report.crsReason && <small className="muted crs-reason">{say(report.crsReason)}</small>}
        </li>
        <li className="muted">{t('reportGeometry', { from: report.geometryNote ? say(report.geometryNote) : report.geometryFrom })}</li>
        <li data-testid="report-counts">
          {t('reportCounts', { read: n(report.rowsRead), importable: n(report.importable), rejected: n(rejected) })}
        </li>
        <li data-testid="report-writes">
          {t(report.dryRun ? 'reportWouldWrite' : 'reportWritten', { inserted: n(report.inserted), updated: n(report.updated), deleted: n(report.deleted) })}
        </li>
      </ul>
      <RoadNetworkSummary report={report} />

      {report.warnings.length > 0 && (
        <ul className="import-warnings" data-testid="import-warnings">
          {report.warnings.map((w) => (
            <li key={w.code} data-code={w.code}>
              <strong>{WARNING[w.code] ? t(WARNING[w.code]) : w.code}</strong>
              <small>{say(w)}</small>
            </li>
          ))}
        </ul>
      )}

      {preview && report.preview.features.length > 0 && (
        <p className="import-on-map">
          <span className="preview-key" aria-hidden />
          <span>{t('previewOnMap', { shown: n(report.preview.features.length), total: n(report.importable) })}</span>
          {onFit && (
            <button type="button" className="link-button" onClick={onFit}>
              {t('fitResult')}
            </button>
          )}
        </p>
      )}

      {report.repairedCount > 0 && (
        <details>
          <summary>{t('reportRepaired', { count: n(report.repairedCount) })}</summary>
          <RowTable rows={report.repaired!.map((r) => ({ row: r.row, reason: say(r.reason) }))} testId="table-repaired" />
        </details>
      )}
      {report.duplicateCount > 0 && (
        <details>
          <summary>{t('reportDuplicates', { count: n(report.duplicateCount) })}</summary>
          <RowTable rows={report.duplicates!.map((r) => ({ row: r.row, reason: say(r.reason) }))} testId="table-duplicates" />
        </details>
      )}

      {rejected > 0 && (
        <details open={preview}>
          <summary>{t('reportRejected', { count: n(rejected) })}</summary>
          <RowTable rows={report.rejected.map((r) => ({ row: r.row, field: fieldLabel(r.field), reason: say(r.reason) }))} testId="table-rejected" />
          {rejected > report.rejected.length && <p className="muted hint">{t('rejectedCapped', { shown: n(report.rejected.length) })}</p>}
        </details>
      )}

      {preview && (
        <details>
          <summary>{t('reportColumns', { mapped: n(report.unmappedColumns.length - dropped + Object.keys(report.columns).length), unmapped: n(dropped) })}</summary>
          <div className="result-table">
            <table data-testid="table-columns">
              <thead>
                <tr>
                  <th>{t('colSourceColumn')}</th>
                  <th>{t('colField')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(report.columns).map(([col, field]) => (
                  <tr key={col} data-column={col}>
                    <td>{col}</td>
                    <td>
                      {fieldLabel(field)} <span className="muted">{field}</span>
                    </td>
                  </tr>
                ))}
                {report.unmappedColumns.map((col) => {
                  const used = readFrom(col);
                  return (
                    <tr key={col} data-column={col} className={used ? '' : 'unmapped'}>
                      <td>{col}</td>
                      <td className={used ? '' : 'muted'}>{used ?? t('columnNotImported')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </div>
  );
}

function RowTable({ rows, testId }: { rows: { row: number; field?: string; reason: string }[]; testId: string }) {
  const { t } = useI18n();
  const withField = rows.some((r) => r.field !== undefined);
  return (
    <div className="result-table">
      <div className="table-scroll import-rows">
        <table data-testid={testId}>
          <thead>
            <tr>
              <th className="num">{t('colRow')}</th>
              {withField && <th>{t('colField')}</th>}
              <th>{t('colReason')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} data-row={r.row}>
                <td className="num">{r.row}</td>
                {withField && <td>{r.field}</td>}
                <td className="reason">{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ImportProgress({ state, layer, onClose }: { state: ImportState; layer?: Layer; onClose(): void }) {
  const { t, l, n } = useI18n();
  const { upload, serverStatus, final, importError } = state;
  const uploaded = upload && upload.total > 0 ? Math.min(1, upload.sent / upload.total) : 0;
  const phase = final ? 'done' : serverStatus?.phase;
  return (
    <div className="import-progress" data-testid="import-progress">
      <label className="progress-line">
        <span>{t('uploadProgress', { percent: n(Math.round(uploaded * 100), 0) })}</span>
        <progress max={1} value={final ? 1 : uploaded} data-testid="upload-progress" />
      </label>
      <p className="run-status" data-testid="server-phase" data-phase={phase ?? ''}>
        {!final && !importError && <span className="spinner" aria-hidden />}
        {phase ? t(PHASE[phase]) : t('phaseWaiting')}
        {serverStatus && !final && <span className="muted"> · {t('serverRows', { read: n(serverStatus.rowsRead), written: n(serverStatus.rowsWritten) })}</span>}
      </p>
      {importError && <ErrorBox error={importError} testId="import-error" />}
      {final && (
        <>
          <p className="import-done" role="status">
            {t('importDone', { layer: layer ? l(layer.name) : final.layer })}
          </p>
          <ReportView report={final} layer={layer} preview={false} />
        </>
      )}
      {(final || importError) && (
        <div className="run-row">
          <button type="button" className="primary" data-testid="import-close" onClick={onClose}>
            {t('close')}
          </button>
        </div>
      )}
    </div>
  );
}
