/** `/admin/`: the data — import, editing (details, map, tables), settings, the road islands and the audit log; no analyses. */
import { App } from '../../App';
import type { Shell } from '../../frame/oneMap';
import { auditTool, editing, importTool, islandsOverlay, settingsTool, SHARED_TOPBAR, TableTool } from '../shared';

const ADMIN: Shell = {
  id: 'admin',
  tabs: ['layers'],
  initialTab: 'layers',
  editing,
  table: TableTool,
  topbar: [...SHARED_TOPBAR, importTool, settingsTool, auditTool],
  overlays: [islandsOverlay],
};

export default function AdminShell() {
  return <App shell={ADMIN} />;
}
