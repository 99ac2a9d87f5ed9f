export * from './types.js';
export * from './layers.js';
export * from './access.js';
export * from './validate.js';
export * from './roles.js';
export * from './columns.js';
export * from './census.js';
export * from './provenance.js';
