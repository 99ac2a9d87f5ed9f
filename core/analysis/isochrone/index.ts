/**
 * The isochrone slice: the request (request.ts) and the pure function (isochrone.ts). It runs on
 * the whole store's road network and population surface, so it needs no catalogue adapter, and
 * its result is already the answer (a GeoJSON FeatureCollection).
 */
export * from './isochrone.js';
export * from './request.js';
