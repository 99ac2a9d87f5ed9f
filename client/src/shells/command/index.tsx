/**
 * `/`: the commander's one map. Everyone gets the map, layers, search, details and tables; the
 * analysis tab loads its tools when opened; staff also get editing, import, the incident view and
 * (admins) the audit log.
 */
import { App } from '../../App';
import type { Shell } from '../../frame/oneMap';
import { AnalysisTool, auditTool, editing, importTool, incidentTool, islandsOverlay, RescueTool, settingsTool, SHARED_TOPBAR, TableTool } from '../shared';

const COMMAND: Shell = {
  id: 'command',
  tabs: ['layers', 'analysis'],
  initialTab: 'layers',
  analysis: AnalysisTool,
  rescue: RescueTool,
  editing,
  table: TableTool,
  topbar: [...SHARED_TOPBAR, importTool, incidentTool, settingsTool, auditTool],
  overlays: [islandsOverlay],
};

export default function CommandShell() {
  return <App shell={COMMAND} />;
}
