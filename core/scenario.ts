/**
 * A saved siting scenario as /api/scenarios answers it: the optimisation's request, the answer
 * shown when it was saved and the sites as the planner had them. Generic in those three, which
 * the store keeps as JSON and the client reads with its own siting types.
 */

export interface ScenarioSummary {
  id: string;
  name: string;
  county: string;
  model: string;
  facilityLayer: string;
  createdBy: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  siteCount: number;
}

export interface Scenario<Request = unknown, Result = unknown, Site = unknown> {
  id: string;
  name: string;
  county: string;
  request: Request;
  result: Result;
  sites: Site[];
  createdBy: string;
  /** ISO 8601, UTC. */
  createdAt: string;
}
