/**
 * Importing, for staff: a "导入数据" button in the top bar, a file dropped anywhere on the page
 * (a drop overlay says so while a file is dragged over), the import sheet, and the dry run's
 * features on the map, fitted into view. App renders this only for a signed-in commander or admin.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import type { AnalysisDeck } from '../map/analysisLayers';
import type { Bbox } from '../api/areas';
import { mapPadding } from '../map/camera';
import { ImportWizard } from './ImportWizard';
import { previewBbox, previewLayers } from './previewLayers';
import { useImport } from './useImport';

/** The formats the server reads (server/import/read.ts and server/formats/). */
const ACCEPT = '.csv,.txt,.geojson,.json,.zip,.kml,.kmz,.gpkg,.xlsx,.xls,.ods,.mif,.dxf,.fgb,.pbf,.osm';

const hasFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/** Room (px) kept between the preview and the panels around it. */
const MARGIN = 30;

/**
 * Fits the preview into the part of the map no panel covers: the sheet is measured (it is taller
 * than the detail panel on a phone), and so is the top bar, which wraps to three rows there.
 */
function fitPreview(map: MaplibreMap, bbox: Bbox): void {
  const padding = mapPadding(map, false);
  const box = map.getContainer().getBoundingClientRect();
  const sheet = document.querySelector('.import-sheet')?.getBoundingClientRect();
  const above = Math.max(...[...document.querySelectorAll('.topbar, .side-panel')].map((el) => el.getBoundingClientRect().bottom));
  if (box.width < 720) {
    padding.top = Math.max(padding.top, Math.round(above - box.top) + MARGIN);
    if (sheet) padding.bottom = Math.round(box.bottom - sheet.top) + MARGIN;
  } else if (sheet) padding.right = Math.round(box.right - sheet.left) + MARGIN;
  map.fitBounds(
    [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ],
    { padding, duration: 800, maxZoom: 16 },
  );
}

interface Props {
  layers: Layer[];
  map: MaplibreMap | null;
  /** The preview to draw over the map, or undefined to draw none. */
  onPreview(deck: AnalysisDeck | undefined): void;
}

export function Importer({ layers, map, onPreview }: Props) {
  const { t } = useI18n();
  const state = useImport(layers);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const { open, importing, step, report, updating, dryRunError } = state;

  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = importing ? 'none' : 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Not preventing it would let the browser open the file in place of the app.
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file && !importing) void open(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [open, importing]);

  // Names are thinned out per zoom, so the layers are rebuilt when a zoom ends.
  const [zoom, setZoom] = useState(0);
  useEffect(() => {
    if (!map) return;
    const onZoom = () => setZoom(map.getZoom());
    onZoom();
    map.on('zoomend', onZoom);
    return () => {
      map.off('zoomend', onZoom);
    };
  }, [map]);

  const shown = step === 'preview' && report && !dryRunError ? report : undefined;
  const deck = useMemo(() => (shown && map ? previewLayers(shown.preview, zoom, (p) => map.project(p as [number, number])) : undefined), [shown, map, zoom]);
  useEffect(() => {
    onPreview(deck);
  }, [deck, onPreview]);
  useEffect(() => () => onPreview(undefined), [onPreview]);

  // Each new preview is shown whole, once it is the answer for the current choices.
  const fitted = useRef<unknown>(undefined);
  const fit = () => {
    const bbox = shown && previewBbox(shown.preview);
    if (map && bbox) fitPreview(map, bbox);
  };
  useEffect(() => {
    if (!shown || updating || fitted.current === shown) return;
    fitted.current = shown;
    const bbox = previewBbox(shown.preview);
    if (map && bbox) fitPreview(map, bbox);
  }, [shown, updating, map]);

  return (
    <>
      <button type="button" className="import-open" data-testid="import-open" onClick={() => input.current?.click()} disabled={importing} title={t('importHint')}>
        {t('importData')}
      </button>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        hidden
        data-testid="import-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void open(file);
        }}
      />
      {createPortal(
        <>
          {dragging && (
            <div className="drop-overlay" data-testid="drop-overlay">
              <div>
                <strong>{t(importing ? 'dropBusy' : 'dropHere')}</strong>
                <span>{t('dropFormats')}</span>
              </div>
            </div>
          )}
          <ImportWizard state={state} layers={layers} onFit={fit} onClose={state.close} />
        </>,
        document.body,
      )}
    </>
  );
}
