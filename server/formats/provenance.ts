/**
 * Demo sources in a download, in zh-CN: a `demo:<code> {…}` value (core/catalogue/provenance.ts)
 * is written as the sentence the map shows in Chinese, from the client's own messages
 * (client/src/i18n/topics/demo.ts). Downloads go to the bureau — its meeting papers, its GIS — where
 * a stored code means nothing and the plan's quote must still be read.
 */
import { zh } from '../../client/src/i18n/topics/demo.js';
import { sourceNote } from '../../core/catalogue/provenance.js';
import type { ExportFeature } from './table.js';

const MESSAGES: Record<string, string> = zh;
/** As the client writes a number in a Note (client/src/i18n/notes.ts: up to two decimals, grouped). */
const NUMBER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });

/** A demo source value as its zh-CN sentence; any other value as it is. */
export function sourceZh(value: unknown): unknown {
  const n = sourceNote(value);
  const message = n && MESSAGES[`note.${n.code}`];
  if (!message) return value;
  return message.replace(/\{(\w+)\}/g, (m, k: string) => {
    const v = n.params?.[k];
    return v === undefined ? m : typeof v === 'number' ? NUMBER.format(v) : v;
  });
}

/** The features with every demo source said in zh-CN (a layer's `source`, a town's `population_source`, an analysis result's joined columns). */
export const sourcesZh = (features: ExportFeature[]): ExportFeature[] =>
  features.map((f) =>
    f.properties && Object.values(f.properties).some((v) => sourceNote(v))
      ? { ...f, properties: Object.fromEntries(Object.entries(f.properties).map(([k, v]) => [k, sourceZh(v)])) }
      : f,
  );
