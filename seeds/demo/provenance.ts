/** The `source` text of demo features: always starts with "demo", and names the plan figure used. */
import type { PlanFigure } from './plan-figures.js';

export const countSource = (figure: PlanFigure<unknown> | undefined): string =>
  figure
    ? `demo: generated (seeded) position and attributes; count from the plan (${figure.file}: ${figure.quote})`
    : 'demo: generated (seeded) position, attributes and count (the plan gives no figure)';
