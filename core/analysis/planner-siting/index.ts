/**
 * The planner-siting slice (选址; the solver it drives is the library core/analysis/siting/): the
 * requests (request.ts), the pure functions that build the county's instance and describe the
 * answer (planner-siting.ts), and the rules from a request and the catalogue's features to that
 * instance and from the result to the answer (plan.ts).
 */
export * from './hazards.js';
export * from './plan.js';
export * from './planner-siting.js';
export * from './request.js';
