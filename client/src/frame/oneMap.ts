/**
 * The one map every shell shares (App.tsx), as its tools see it: useOneMap() gives the map, the
 * catalogue, the user's role, the selection and the side panel; a Shell says which tools a URL
 * offers and where the frame mounts them. Every tool is a lazily loaded component, so a user
 * downloads only the tools their shell and role bring.
 */
import { createContext, useContext, type ComponentType } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Role } from '../../../core/catalogue/types';
import type { Area } from '../api/areas';
import type { VersionedFeature } from '../api/edit';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import type { FeatureEditorProps } from '../panels/DetailPanel';
import type { TableProps } from '../edit/TableDrawer';
import type { SelectionState } from './selection';

export type ShellId = 'command' | 'plan' | 'admin';
export type Tab = 'layers' | 'analysis';

/** How the frame starts an edit on the map; published by the editing session while it runs. */
export interface EditStarter {
  startMove(layerId: string, feature: VersionedFeature): void;
  startCreate(layerId: string, geometry?: Layer['geometry']): void;
}

export interface OneMap {
  shell: Shell;
  map: MaplibreMap | null;
  token: string | null;
  role?: Role;
  /** Commanders and admins edit features and import files. */
  staff: boolean;
  layers: Layer[];
  areas: Area[];
  areaCode?: string;
  /** The admin_units layer as loaded (towns and counties), for analyses joined on town codes. */
  adminUnits?: FeaturePage;
  selection: SelectionState;
  panel: { open: boolean; tab: Tab };
  /** Where the layers tab shows a tool's legend (a portal target), while that tab is open. */
  legendSlot: HTMLElement | null;
  publishEdit(starter: EditStarter | undefined): void;
}

/** A tool in the top bar, between the language switch and the sign-in. */
export interface TopbarTool {
  id: string;
  /** Whether this user is offered it (default: everyone). */
  show?(m: OneMap): boolean;
  Component: ComponentType;
}

/** A view chosen by the URL: which tabs, which tools. A tool a shell leaves out is not offered there. */
export interface Shell {
  id: ShellId;
  /** The side panel's tabs in order; `initialTab` is open at start. */
  tabs: Tab[];
  initialTab: Tab;
  /** The analysis tab's session (its panel, legend, map layers): mounted once the tab is first opened, then kept. */
  analysis?: ComponentType;
  /** In the detail panel of a selected point, for staff (the rescue bases are internal layers). */
  rescue?: ComponentType;
  /** For staff: the edit session (mounted while they may edit) and the detail panel's edit actions. */
  editing?: { Session: ComponentType; FeatureEditor: ComponentType<FeatureEditorProps> };
  /** The table view of a layer (everyone reads; staff edit cells). */
  table: ComponentType<TableProps>;
  topbar: TopbarTool[];
  /** Map overlays (their toggle and legend in the layers tab), mounted for the users `show` accepts. */
  overlays?: TopbarTool[];
}

export const OneMapContext = createContext<OneMap | null>(null);

export function useOneMap(): OneMap {
  const m = useContext(OneMapContext);
  if (!m) throw new Error('useOneMap: a tool was mounted outside the one-map frame (App).');
  return m;
}
