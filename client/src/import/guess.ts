/**
 * Which layer a dropped file is for, guessed from its name ("避难场所2024.csv" → shelters) and,
 * for CSV, its header row (a 容纳人数 column says shelters, 库存 depots). The planner confirms or
 * changes the guess; nothing is written on a guess.
 */
import { matchColumn } from '../../../core/catalogue/columns';
import type { LayerDef } from '../../../core/catalogue/types';

/** Longest run of characters the two strings share. */
function commonRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (a[i + k] !== undefined && a[i + k] === b[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

const norm = (s: string): string => s.toLowerCase().replace(/[\s_\-.（）()]/g, '');

/** Points for the file name: the layer's id or English name in it, or a run of ≥ 2 characters of its Chinese name. */
function nameScore(layer: LayerDef, fileName: string): number {
  const base = norm(fileName.replace(/\.[a-z0-9]+$/i, ''));
  const words = [layer.id, layer.id.replace(/s$/, ''), ...layer.name.en.toLowerCase().split(/[\s-]+/).filter((w) => w.length > 3)].map(norm);
  if (words.some((w) => w && base.includes(w))) return 10;
  const run = commonRun(base, layer.name.zh);
  return run >= 2 ? run : 0;
}

/** A field at most this many layers have says which layer a column is for (名称 and 地址 do not). */
const DISTINCTIVE = 2;

/**
 * Points for the headers: the layer's distinctive fields some column fills, matched as the import
 * matches them (core/catalogue/columns.ts: names, labels, aliases, census item columns).
 */
function headerScore(layer: LayerDef, headers: string[], layers: readonly LayerDef[]): number {
  const filled = new Set(headers.map((h) => matchColumn(layer, h)?.field).filter((f) => f !== undefined));
  return layer.fields.filter((f) => filled.has(f.name) && layers.filter((l) => l.fields.some((g) => g.name === f.name)).length <= DISTINCTIVE).length;
}

/** The most likely layer id, or undefined when neither the name nor the headers single one out. */
export function guessLayer(layers: readonly LayerDef[], fileName: string, headers: string[] = []): string | undefined {
  const scored = layers.map((layer) => ({ id: layer.id, score: nameScore(layer, fileName) * 10 + headerScore(layer, headers, layers) }));
  const top = Math.max(0, ...scored.map((s) => s.score));
  const best = scored.filter((s) => s.score === top);
  return top > 0 && best.length === 1 ? best[0].id : undefined;
}

/**
 * The header row of a CSV from its first bytes: UTF-8 when they decode as UTF-8, else GB18030 (as
 * the server decides, server/import/decode.ts). Empty for other formats.
 */
export function csvHeaders(firstBytes: Uint8Array, fileName: string): string[] {
  if (!/\.(csv|txt)$/i.test(fileName)) return [];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(firstBytes, { stream: true });
  } catch {
    text = new TextDecoder('gb18030').decode(firstBytes, { stream: true });
  }
  const line = text.replace(/^\ufeff/, '').split(/\r?\n/)[0] ?? '';
  const delim = [',', '\t', ';'].reduce((best, d) => (line.split(d).length > line.split(best).length ? d : best), ',');
  return line.split(delim).map((h) => h.replace(/^"|"$/g, ''));
}
