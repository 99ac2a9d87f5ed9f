/** A result table: click a header to sort by it (again to reverse); a totals row at the foot. */
import { useState } from 'react';
import { useI18n } from '../i18n';
import { displayValue, headerText, type AnyTable, type CellValue } from './resultTables';

function compare(a: CellValue, b: CellValue): number {
  // Empty values sort last whichever the direction, so they never hide the extremes.
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, 'zh-CN');
  return Number(a) - Number(b);
}

/** An action on a row (removing a proposed site): a small button in a last column. */
export interface RowAction {
  label: string;
  title: string;
  run(row: any): void;
}

export function ResultTable({ table, rowAction }: { table: AnyTable; rowAction?: RowAction }) {
  const i18n = useI18n();
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(null);
  const column = table.columns.find((c) => c.key === sort?.key);
  const rows = column
    ? [...table.rows].sort((a, b) => {
        const va = column.value(a);
        const vb = column.value(b);
        if (va === null || vb === null) return compare(va, vb);
        return sort!.desc ? compare(vb, va) : compare(va, vb);
      })
    : table.rows;
  const numeric = (key: string) => table.columns.find((c) => c.key === key)?.digits !== undefined;

  return (
    <div className="result-table" data-testid={`table-${table.id}`}>
      <h3>{table.title}</h3>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              {table.columns.map((c) => {
                const active = sort?.key === c.key;
                return (
                  <th key={c.key} className={numeric(c.key) ? 'num' : undefined} aria-sort={active ? (sort!.desc ? 'descending' : 'ascending') : 'none'}>
                    <button type="button" data-sort={c.key} title={headerText(c, i18n)} onClick={() => setSort({ key: c.key, desc: active ? !sort!.desc : numeric(c.key) })}>
                      {c.label}
                      <span aria-hidden>{active ? (sort!.desc ? ' ▾' : ' ▴') : ''}</span>
                      {c.unit && <small className="unit">{c.unit}</small>}
                    </button>
                  </th>
                );
              })}
              {rowAction && <th aria-label={rowAction.title} />}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={table.rowKey(r)} data-row={table.rowKey(r)}>
                {table.columns.map((c) => (
                  <td key={c.key} data-col={c.key} className={[numeric(c.key) ? 'num' : '', c.bad?.(r) ? 'bad' : ''].join(' ').trim() || undefined}>
                    {displayValue(c.value(r), c, i18n)}
                  </td>
                ))}
                {rowAction && (
                  <td className="row-action">
                    <button type="button" className="remove" data-testid="row-action" title={rowAction.title} aria-label={rowAction.title} onClick={() => rowAction.run(r)}>
                      {rowAction.label}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              {table.columns.map((c) => (
                <td key={c.key} data-col={c.key} className={numeric(c.key) ? 'num' : undefined}>
                  {c.total ? displayValue(c.total(table.rows), c, i18n) : ''}
                </td>
              ))}
              {rowAction && <td />}
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
