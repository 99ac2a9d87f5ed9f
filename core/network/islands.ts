/**
 * The islands map layer's contract (`GET /api/network/components`, server/routes/network.ts): every
 * piece of a county's roads but the largest, as a line feature, with the counties' summaries.
 */
import type { FeatureCollection, MultiLineString } from 'geojson';
import type { ComponentSummary } from './components.js';

export interface IslandProps {
  /** The county code of the piece's roads ('*' for roads without one). */
  county: string;
  /** 1.. by descending size within the county (0, the largest, is not drawn). */
  component: number;
  nodes: number;
  /** Links of the graph: one line of the MultiLineString each. */
  links: number;
  /** Share of the county's nodes, 0..1. */
  share: number;
}

export interface NetworkPieces extends FeatureCollection<MultiLineString, IslandProps> {
  /** The county's pieces, or (no county asked) the whole graph's. */
  summary: ComponentSummary;
  counties: Record<string, ComponentSummary>;
}
