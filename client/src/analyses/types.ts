/**
 * What an analysis gives the client (client/src/analyses/<slice>/index.tsx): its form, the body
 * its draft makes, its map layers and legend, tables, chart, summary, and the GeoJSON its result
 * exports as. The panel, the map and the export are built from these (registry.ts), never from a
 * switch over analysis kinds.
 */
import type { ComponentType } from 'react';
import type { Feature } from 'geojson';
import type { AnalysisDefinition } from '../../../core/analysis/slice';
import type { Area, Bbox } from '../api/areas';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import type { I18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import type { AnalysisDeck, LegendGroup } from '../map/analysisLayers';
import type { Chart } from '../panels/BarChart';
import type { AnyTable } from '../panels/resultTables';

export type LonLat = [number, number];

/** A finished run: what was asked, the answer, and how long it took (ms). */
export interface Run<Id extends string, Body, Data> {
  kind: Id;
  body: Body;
  data: Data;
  ms: number;
}

export interface FormProps<Draft> {
  draft: Draft;
  layers: readonly Layer[];
  onChange(draft: Draft): void;
  picking: boolean;
  onPicking(picking: boolean): void;
  /** The selected point feature, offered as an origin. */
  selected?: { name: string; position: LonLat };
}

/** A run's headline figures, the basis it applied, and the items behind a figure. */
export interface Summary {
  lines: string[];
  basis?: { label: string; text: string };
  details?: { title: string; items: string[] };
}

/** What an analysis adds to its results panel; `session` is the runner's what-if on the run (siting's plan). */
export interface ResultsProps<R> {
  run: R;
  /** The run as the server answered it, before any what-if. */
  solved: R;
  session: unknown;
  layers: Layer[];
  areas: Area[];
  adminUnits?: FeaturePage;
  picking: boolean;
  onPicking(picking: boolean): void;
}

/** What an analysis shows with its form, result or none (siting: the saved scenarios of the county). */
export interface WithFormProps {
  county: string;
  areaName: string;
  run?: Run<string, unknown, unknown>;
  solved?: Run<string, unknown, unknown>;
  session: unknown;
  /** Shows a run answered before. */
  restore(run: Run<string, unknown, unknown>): void;
}

/** What a run's what-if holds; its answer, once there, replaces the run's. */
export interface Session<Data> {
  result?: Data;
}

/** A draggable marker of a result (siting's new sites, see map/siteMarkers.ts). */
export interface ResultMarker {
  id: string;
  lon: number;
  lat: number;
  label: string;
  manual: boolean;
  /** Moved or added, not yet in the answer on screen. */
  pending?: boolean;
}

/** A button on each row of a result table. */
export interface RowAction {
  label: string;
  title: string;
  run(row: { id: string }): void;
}

export interface ClientAnalysis<Id extends string, Body, Data, Draft> {
  definition: AnalysisDefinition<Id>;
  name: MessageKey;
  hint: MessageKey;
  /** Whether it runs on the county of the area switcher (else anywhere). */
  perCounty: boolean;
  /** Parameters a 400 may name, as the form labels them. */
  params: Record<string, MessageKey>;
  defaultDraft: Draft;
  Form: ComponentType<FormProps<Draft>>;
  /** The body the draft makes (for the county when perCounty), or why it makes none. */
  request(draft: Draft, county: string): { body: Body } | { problem: MessageKey };
  layers(run: Run<Id, Body, Data>, adminUnits: FeaturePage | undefined, i18n: I18n): AnalysisDeck;
  legend(run: Run<Id, Body, Data>, i18n: I18n): LegendGroup[];
  /** The results' heading when it depends on the run (relief: the target hours); else the name. */
  title?(run: Run<Id, Body, Data>, i18n: I18n): string;
  tables(run: Run<Id, Body, Data>, layers: readonly Layer[], i18n: I18n): AnyTable[];
  chart(run: Run<Id, Body, Data>, i18n: I18n): Chart;
  summary(run: Run<Id, Body, Data>, i18n: I18n): Summary;
  /** The result's map layers as features (each tagged with its `layer`) and the parameters exported with them. */
  geojson(run: Run<Id, Body, Data>, adminUnits: FeaturePage | undefined): { features: Feature[]; parameters: unknown };
  /** Where the result lies, when not the county's extent. */
  bbox?(run: Run<Id, Body, Data>): Bbox | undefined;
  /** Map layers of the draft before it runs (isochrone origins). */
  draftLayers?(draft: Draft): AnalysisDeck | undefined;
  /** A point picked on the map while the form asked for one. */
  pick?(draft: Draft, point: LonLat): Draft;
  /** Shown with the form when the analysis is chosen and the area switcher names a county. */
  WithForm?: ComponentType<WithFormProps>;
  /** More of the results panel. */
  Results?: ComponentType<ResultsProps<Run<Id, Body, Data>>>;
  rowAction?(tableId: string, session: unknown, i18n: I18n): RowAction | undefined;
  /** The what-if on a run of this analysis (a hook, called on every render, with undefined when the run is another's). */
  useSession?(run: Run<Id, Body, Data> | undefined): Session<Data>;
  /** The result's draggable markers. */
  markers?(run: Run<Id, Body, Data>, session: unknown): ResultMarker[] | undefined;
  /** What dragging or removing one of its markers does. */
  markerHandlers?(session: unknown): { move(id: string, lonLat: LonLat): void; remove(id: string): void };
  /** A point picked on the map on a result of this analysis (siting: a site placed by hand). */
  pickOnResult?(session: unknown, point: LonLat): void;
}

/** An analysis whose types no longer matter (the panel, the map, the export). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyClientAnalysis = ClientAnalysis<any, any, any, any>;
