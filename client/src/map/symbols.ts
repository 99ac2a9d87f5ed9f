/** Colours of features from the catalogue symbol: the option colour of `symbol.by`, else `symbol.color`. */
import type { EnumOption, LayerDef } from '../../../core/catalogue/types';
import type { Props } from '../api/features';

export type Rgba = [number, number, number, number];

export function hexToRgba(hex: string, alpha = 255): Rgba {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? h.replace(/./g, (c) => c + c) : h;
  const n = parseInt(full.slice(0, 6), 16);
  if (full.length < 6 || Number.isNaN(n)) return [128, 128, 128, alpha];
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

/** The options that colour a layer (those of its `symbol.by` field), if any. */
export function symbolOptions(layer: LayerDef): EnumOption[] {
  const by = layer.symbol.by;
  return (by && layer.fields.find((f) => f.name === by)?.options) || [];
}

/** Hex colour of one feature. */
export function featureColor(layer: LayerDef, props: Props): string {
  const by = layer.symbol.by;
  if (!by) return layer.symbol.color;
  return symbolOptions(layer).find((o) => o.value === props[by])?.color ?? layer.symbol.color;
}

/** Planned facilities are drawn hollow so they are not mistaken for ones that exist. */
export const isPlanned = (props: Props): boolean => props.status === 'planned';

/** Whether a layer can hold planned features (its status field offers "planned"). */
export const hasPlannedStatus = (layer: LayerDef): boolean =>
  layer.fields.some((f) => f.name === 'status' && f.options?.some((o) => o.value === 'planned'));

/** Outline of the selected feature: cyan, which no catalogue symbol uses. */
export const SELECTION_COLOR = '#00b8d4';

/** A CJK-capable font list for labels drawn by deck.gl (no glyph server offline). */
export const LABEL_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
