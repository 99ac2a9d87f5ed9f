/**
 * Who must be warned, as rows for the sheet, the dispatch sheet and the CSV an SMS or broadcast
 * platform imports. A saved incident's CSV is the server's (GET /api/incidents/:id/warnings.csv);
 * an unsaved one's is written here from the assessment, with the same columns.
 */
import type { IncidentAssessment } from '../../../core/incident/schema';
import type { I18n } from '../i18n';

export interface WarnRow {
  category: string;
  name: string;
  contact: string;
  phone: string;
  town: string;
  population: number | null;
}

export function warnRows(warn: IncidentAssessment['warn'], { t }: I18n): WarnRow[] {
  return [
    ...warn.towns.map((w) => ({ category: t('incWarnTown'), name: w.name, contact: '', phone: '', town: w.name, population: w.population })),
    ...warn.monitors.map((m) => ({ category: t('incWarnMonitor'), name: m.geohazardName, contact: m.name, phone: m.phone, town: m.town, population: null })),
    ...warn.shelterManagers.map((m) => ({ category: t('incWarnManager'), name: m.shelterName, contact: m.name, phone: m.phone, town: m.town, population: null })),
  ];
}

/** RFC 4180 field; a text starting like a formula is quoted so a spreadsheet does not run it. */
function field(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a byte-order mark (Excel reads Chinese correctly), CRLF line ends. */
export function warningsCsv(rows: WarnRow[], { t }: I18n): string {
  const header = [t('incColCategory'), t('incColName'), t('incColContact'), t('incColPhone'), t('town'), t('incColPopulation')];
  const lines = [header, ...rows.map((r) => [r.category, r.name, r.contact, r.phone, r.town, r.population])].map((cells) => cells.map(field).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
