export * from './petition.js';
export * from './actor.js';
export * from './tracking-number.js';
export * from './calendar.js';
export * from './sla.js';
export * from './similarity.js';
export * from './category-fields.js';
export * from './deadlines.js';
