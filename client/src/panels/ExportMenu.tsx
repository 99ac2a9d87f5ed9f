/**
 * "Export…": choose a format (GeoJSON, CSV for Excel, GeoPackage, KML, FlatGeobuf, zipped Shapefile) and a coordinate system
 * (WGS84 or GCJ-02, explained), then download the file the server writes.
 */
import { useState } from 'react';
import { EXPORT_FORMATS, type ExportCrs, type ExportFormat } from '../export';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

const FORMAT_LABEL: Record<ExportFormat, MessageKey> = {
  geojson: 'formatGeojson',
  csv: 'formatCsv',
  gpkg: 'formatGpkg',
  kml: 'formatKml',
  fgb: 'formatFgb',
  shp: 'formatShp',
};

interface Props {
  /** Names the menu for screen readers and tests: `export-<id>`. */
  id: string;
  label: string;
  run(format: ExportFormat, crs: ExportCrs): Promise<void>;
}

export function ExportMenu({ id, label, run }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<ExportFormat>('geojson');
  const [crs, setCrs] = useState<ExportCrs>('wgs84');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await run(format, crs);
      setOpen(false);
    } catch (err) {
      setError(t('exportFailed', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-menu" data-export={id}>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid={`export-${id}`}>
        {label}
      </button>
      {open && (
        <div className="export-options" role="group" aria-label={label}>
          <fieldset>
            <legend>{t('exportFormat')}</legend>
            {EXPORT_FORMATS.map((f) => (
              <label key={f}>
                <input type="radio" name={`format-${id}`} value={f} checked={format === f} onChange={() => setFormat(f)} data-format={f} />
                {t(FORMAT_LABEL[f])}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('exportCrs')}</legend>
            <label>
              <input type="radio" name={`crs-${id}`} value="wgs84" checked={crs === 'wgs84'} onChange={() => setCrs('wgs84')} data-crs="wgs84" />
              {t('crsWgs84')}
            </label>
            <label>
              <input type="radio" name={`crs-${id}`} value="gcj02" checked={crs === 'gcj02'} onChange={() => setCrs('gcj02')} data-crs="gcj02" />
              {t('crsGcj02')}
            </label>
            <p className="muted hint">{t(crs === 'wgs84' ? 'exportWgs84Hint' : 'exportGcj02Hint')}</p>
          </fieldset>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="button" className="primary" disabled={busy} onClick={() => void go()} data-testid={`export-${id}-download`}>
            {busy ? t('exporting') : t('download')}
          </button>
        </div>
      )}
    </div>
  );
}
