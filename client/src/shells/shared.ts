/**
 * The tools the shells are made of. Each is loaded when first mounted (React.lazy), so a chunk is
 * downloaded only by a user whose shell and role bring its tool: the editing and import chunks by
 * staff, the analysis chunk (forms, siting, report) once the analysis tab is opened.
 */
import { lazy } from 'react';
import type { OneMap, Shell, TopbarTool } from '../frame/oneMap';
import { ShellSwitch } from './ShellSwitch';
import { ShelterFinderLink } from './public/OneMapOffer';

export const AnalysisTool = lazy(() => import('./plan/AnalysisTool'));
export const RescueTool = lazy(() => import('./command/RescueTool'));
export const editing: Shell['editing'] = {
  Session: lazy(() => import('./admin/editing').then((m) => ({ default: m.EditingSession }))),
  FeatureEditor: lazy(() => import('./admin/editing').then((m) => ({ default: m.FeatureEditor }))),
};
export const TableTool = lazy(() => import('../edit/TableDrawer').then((m) => ({ default: m.TableDrawer })));

export const isStaff = (m: OneMap) => m.staff;

export const importTool: TopbarTool = { id: 'import', show: isStaff, Component: lazy(() => import('./admin/ImportTool')) };
export const incidentTool: TopbarTool = { id: 'incident', show: isStaff, Component: lazy(() => import('./command/IncidentTool')) };
export const settingsTool: TopbarTool = { id: 'settings', show: (m) => m.role === 'admin', Component: lazy(() => import('../settings/SettingsTool')) };
export const auditTool: TopbarTool = { id: 'audit', show: (m) => m.role === 'admin', Component: lazy(() => import('./admin/AuditTool')) };

/** The road network's islands (internal: commanders, admins). */
export const islandsOverlay: TopbarTool = { id: 'islands', show: isStaff, Component: lazy(() => import('../map/IslandsOverlay')) };

/** First in every shell's top bar: the links between the shells, and to the public shelter finder. */
export const SHARED_TOPBAR: TopbarTool[] = [
  { id: 'shells', show: isStaff, Component: ShellSwitch },
  { id: 'shelter-finder', Component: ShelterFinderLink },
];
