/** `/admin/`: the data — import, editing (details, map, tables) and the audit log; no analyses. */
import { App } from '../../App';
import type { Shell } from '../../frame/oneMap';
import { auditTool, editing, importTool, SHARED_TOPBAR, TableTool } from '../shared';

const ADMIN: Shell = {
  id: 'admin',
  tabs: ['layers'],
  initialTab: 'layers',
  editing,
  table: TableTool,
  topbar: [...SHARED_TOPBAR, importTool, auditTool],
};

export default function AdminShell() {
  return <App shell={ADMIN} />;
}
