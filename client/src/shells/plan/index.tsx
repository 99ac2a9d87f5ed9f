/** `/plan/`: the planner's tools — the map opens on the analysis tab (coverage analyses, siting, what-if, report). */
import { App } from '../../App';
import type { Shell } from '../../frame/oneMap';
import { AnalysisTool, islandsOverlay, RescueTool, SHARED_TOPBAR, TableTool } from '../shared';

const PLAN: Shell = {
  id: 'plan',
  tabs: ['layers', 'analysis'],
  initialTab: 'analysis',
  analysis: AnalysisTool,
  rescue: RescueTool,
  table: TableTool,
  topbar: SHARED_TOPBAR,
  overlays: [islandsOverlay],
};

export default function PlanShell() {
  return <App shell={PLAN} />;
}
