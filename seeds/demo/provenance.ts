/** The `source` of demo features: a demo Note (core/catalogue/provenance.ts) naming the plan figure used. */
import { demoSource } from '../../core/catalogue/provenance.js';
import type { PlanFigure } from './plan-figures.js';

export const countSource = (figure: PlanFigure<unknown> | undefined): string =>
  figure ? demoSource('count_from_plan', { file: figure.file, quote: figure.quote }) : demoSource('generated');
