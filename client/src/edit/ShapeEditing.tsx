/**
 * The panels of line and polygon editing (the map side is geometryEditor): drawing a new one
 * vertex by vertex, then its attribute form; and reshaping an existing one, saved as a PATCH of its
 * geometry on the version it was opened at (a conflict shows as for points).
 */
import { useEffect, useRef, useState } from 'react';
import { geometryProblem } from '../../../core/catalogue/validate';
import type { Area } from '../api/areas';
import type { VersionedFeature } from '../api/edit';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { CreatePanel } from './CreatePanel';
import { fromShape, isArea, minVertices, toShape, type Shape } from './shape';
import type { EditSessionState, OnSaved } from './useEditSession';
import { useGuardedSave } from './useGuardedSave';

const vertexCount = (s: Shape) => s.parts.reduce((n, p) => n + p.length, 0);

/** Typing in a field is never an edit of the shape. */
const typing = (e: KeyboardEvent) => e.target instanceof HTMLElement && e.target.closest('input, textarea, select, [contenteditable="true"]') !== null;

interface DrawProps {
  session: EditSessionState;
  layer: Layer;
  shape: Shape;
  finished: boolean;
  onSelect: OnSaved;
}

export function DrawPanel({ session, layer, shape, finished, onSelect }: DrawProps) {
  const { t } = useI18n();
  const vertices = shape.parts[0];
  const enough = vertices.length >= minVertices(shape);
  const undo = () => session.setShape({ ...shape, parts: [vertices.slice(0, -1)] });
  // Backspace removes the last vertex while drawing.
  const keys = useRef({ undo, finished, any: false });
  keys.current = { undo, finished, any: vertices.length > 0 };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Backspace' || typing(e) || keys.current.finished || !keys.current.any) return;
      e.preventDefault();
      keys.current.undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const area = isArea(shape);
  return (
    <CreatePanel
      session={session}
      layer={layer}
      geometry={finished ? fromShape(shape) : undefined}
      hint={finished ? t('drawDone') : t(area ? 'drawPolygonHint' : 'drawLineHint')}
      onSelect={onSelect}
    >
      <p className="muted" data-testid="draw-count">
        {t('vertexCount', { n: vertices.length })}
      </p>
      <div className="form-actions">
        {finished ? (
          <button type="button" onClick={() => session.setShape(shape, false)} data-testid="draw-resume">
            {t('drawResume')}
          </button>
        ) : (
          <>
            <button type="button" className="primary" disabled={!enough} onClick={() => session.setShape(shape, true)} data-testid="draw-finish">
              {t('drawFinish')}
            </button>
            <button type="button" disabled={vertices.length === 0} onClick={undo} data-testid="draw-undo">
              {t('undoVertex')}
            </button>
          </>
        )}
      </div>
    </CreatePanel>
  );
}

interface ReshapeProps {
  session: EditSessionState;
  layer: Layer;
  feature: VersionedFeature;
  shape: Shape;
  areas: Area[];
  onSelect: OnSaved;
}

export function ReshapeBar({ session, layer, feature, shape, areas, onSelect }: ReshapeProps) {
  const { t } = useI18n();
  const [base, setBase] = useState(feature);
  const [problem, setProblem] = useState<string | null>(null);
  const guarded = useGuardedSave(layer, areas, {
    onSaved: (saved) => {
      session.end();
      onSelect(layer, saved);
    },
    onReload: (current) => {
      setBase(current);
      const reloaded = toShape(current.geometry);
      if (reloaded) session.setShape(reloaded);
    },
  });
  const original = toShape(base.geometry);
  const changed = JSON.stringify(original?.parts) !== JSON.stringify(shape.parts);
  const save = () => {
    const geometry = fromShape(shape);
    const why = geometryProblem(layer, geometry);
    setProblem(why ? t('geometryInvalid', { problem: why }) : null);
    if (!why) void guarded.save(base, { geometry });
  };
  const error = problem ?? guarded.error;
  return (
    <div className="edit-bar" role="region" aria-label={t('reshape')} data-testid="reshape-bar">
      <p>
        <strong>{t('reshapeTitle', { name: String(base.properties.name ?? base.id) })}</strong> <span className="muted">{t('reshapeHint', { min: minVertices(shape) })}</span>
      </p>
      <p className="muted" data-testid="reshape-count">
        {t('vertexCount', { n: vertexCount(shape) })}
      </p>
      {error && (
        <p className="error" role="alert" data-testid="reshape-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="primary" disabled={!changed || guarded.busy} data-testid="reshape-save" onClick={save}>
          {guarded.busy ? t('saving') : t('saveShape')}
        </button>
        <button type="button" disabled={!changed || guarded.busy} onClick={() => original && session.setShape(original)} data-testid="reshape-reset">
          {t('resetShape')}
        </button>
        <button type="button" onClick={session.end} disabled={guarded.busy}>
          {t('cancel')}
        </button>
      </div>
      {guarded.dialog}
    </div>
  );
}
