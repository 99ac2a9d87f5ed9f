/** The legend of the analysis result on the map (in the analysis panel, and under the layer legend). */
import type { LegendGroup } from '../map/analysisLayers';

export function AnalysisLegend({ groups }: { groups: LegendGroup[] }) {
  return (
    <div className="analysis-legend" data-testid="analysis-legend">
      {groups.map((g) => (
        <div key={g.title} className="legend-layer">
          <h3>{g.title}</h3>
          <ul>
            {g.entries.map((e) => (
              <li key={e.label}>
                <span className={`key key-${e.style}`} style={e.style === 'outline' || e.style === 'dashed' ? { borderColor: e.color } : { background: e.color }} aria-hidden />
                {e.label}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
