/** The map symbol of a layer or class, drawn in HTML for the layer list and the legend. */
import type { Layer } from '../api/layers';

interface Props {
  layer: Layer;
  color: string;
  /** Planned facilities: a ring instead of a disc, as on the map. */
  hollow?: boolean;
}

export function Swatch({ layer, color, hollow = false }: Props) {
  if (layer.geometry === 'LineString') {
    return <span className="swatch swatch-line" style={{ background: color }} aria-hidden />;
  }
  if (layer.geometry === 'Polygon') {
    return <span className="swatch swatch-area" style={{ borderColor: color, background: `${color}22` }} aria-hidden />;
  }
  return (
    <span
      className="swatch swatch-point"
      style={hollow ? { borderColor: color, color, background: '#fff' } : { background: color, borderColor: '#fff', color: '#fff' }}
      aria-hidden
    >
      {layer.symbol.glyph}
    </span>
  );
}
