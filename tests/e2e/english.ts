/**
 * What the language browser test calls foreign in a zh-CN page: English sentences (runs of three
 * or more Latin words, once what may stand in Latin letters is set aside) and ⟦code⟧, noteText's
 * mark for a note code the client cannot say.
 */

/** What may stand in Latin letters inside Chinese text: standard numbers, clauses, codes, units, names. */
const ALLOWED: RegExp[] = [
  /\b(?:GB|GB\/T|JTG|CJJ|JGJ|DB\d*)\s?[A-Z]?\d+(?:\.\d+)?-\d{4}/g,
  /建标\s?\d+-\d{4}/g,
  /§\s?[\d.]+/g,
  /\bEPSG:\s?\d+\b/g,
  /\bcrs=[\w:/]+/g,
  /\b(?:PostGIS|PostgreSQL|pgRouting|GeoJSON|CSV|WKT|WGS84|CGCS2000|GCJ-02|BD-09|ST_MakeValid|PNG|PDF|UTF-8|GB18030|OSM|MCLP|LSCP)\b/g,
  /\b(?:km²|km|m²|m|min|h|kB|MB)\b/g,
];

/** The English sentences in `text`: runs of three or more Latin words once the allowed tokens are gone. */
export function englishSentences(text: string): string[] {
  let rest = text;
  for (const re of ALLOWED) rest = rest.replace(re, ' ');
  return [...rest.matchAll(/[A-Za-z][A-Za-z'’-]*(?:[ \t,;:()/"“”]+[A-Za-z][A-Za-z'’-]*){2,}/g)].map((m) => m[0]);
}

/** What must not be on a zh-CN page: English sentences and ⟦unknown note codes⟧. */
export function foreign(text: string): string[] {
  return [...englishSentences(text), ...(text.match(/⟦[^⟧]*⟧/g) ?? [])];
}
