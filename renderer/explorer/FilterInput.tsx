import { useEffect, useState } from 'react';
import { formatTemporal } from '../../src/explorer/format';
import { parseNumber, parseTemporal } from '../../src/explorer/inferType';
import type { ColumnFilter, ExplorerColumn } from '../../src/explorer/types';

type TextOp = 'contains' | 'equals' | 'regex';

export interface FilterInputProps {
  column: ExplorerColumn;
  filter: ColumnFilter | undefined;
  onChange(filter: ColumnFilter | undefined): void;
}

const DEBOUNCE_MS = 250;

/** The per-column filter under each header: text (contains/equals/regex) or a min–max range. */
export function FilterInput({ column, filter, onChange }: FilterInputProps): React.JSX.Element {
  const ranged = column.type === 'quantitative' || column.type === 'temporal';
  return ranged ? <RangeFilter column={column} filter={filter} onChange={onChange} /> : <TextFilter column={column} filter={filter} onChange={onChange} />;
}

function useDebounced(value: string, apply: (v: string) => void): void {
  useEffect(() => {
    const t = setTimeout(() => apply(value), DEBOUNCE_MS);
    return () => clearTimeout(t);
    // Only the text triggers a commit; `apply` is a fresh closure every render.
  }, [value]);
}

function TextFilter({ column, filter, onChange }: FilterInputProps): React.JSX.Element {
  const current = filter && (filter.op === 'contains' || filter.op === 'equals' || filter.op === 'regex') ? filter : undefined;
  const [op, setOp] = useState<TextOp>(current?.op ?? 'contains');
  const [text, setText] = useState(current?.value ?? '');
  const commit = (value: string, nextOp: TextOp) => {
    if (value === '') {
      if (filter) onChange(undefined);
    } else if (!current || current.value !== value || current.op !== nextOp) {
      onChange({ column: column.index, op: nextOp, value });
    }
  };
  useDebounced(text, (v) => commit(v, op));
  return (
    <div className="qx-filter">
      <select aria-label={`Filter mode for ${column.label}`} value={op} onChange={(e) => { const o = e.target.value as TextOp; setOp(o); commit(text, o); }}>
        <option value="contains">∋</option>
        <option value="equals">=</option>
        <option value="regex">.*</option>
      </select>
      <input aria-label={`Filter ${column.label}`} placeholder={op === 'regex' ? 'regex' : 'filter'} value={text} onChange={(e) => setText(e.target.value)} />
    </div>
  );
}

function RangeFilter({ column, filter, onChange }: FilterInputProps): React.JSX.Element {
  const temporal = column.type === 'temporal';
  const show = (v: number | null | undefined): string => (v === null || v === undefined ? '' : temporal ? formatTemporal(v) : String(v));
  const current = filter?.op === 'range' ? filter : undefined;
  const [min, setMin] = useState(show(current?.min));
  const [max, setMax] = useState(show(current?.max));
  const parse = (text: string): number | null | 'bad' => {
    if (text.trim() === '') return null;
    const v = temporal ? parseTemporal(text.trim()) : parseNumber(text);
    return v === undefined || Number.isNaN(v) ? 'bad' : v;
  };
  const lo = parse(min);
  const hi = parse(max);
  useDebounced(`${min}\u0000${max}`, () => {
    if (lo === 'bad' || hi === 'bad') return;
    if (lo === null && hi === null) {
      if (filter) onChange(undefined);
    } else if (!current || current.min !== lo || current.max !== hi) {
      onChange({ column: column.index, op: 'range', min: lo, max: hi });
    }
  });
  const hint = temporal ? 'YYYY-MM-DD' : 'number';
  return (
    <div className="qx-filter qx-range">
      <input aria-label={`Minimum ${column.label}`} className={lo === 'bad' ? 'qx-bad' : undefined} placeholder={`min ${hint}`} value={min} onChange={(e) => setMin(e.target.value)} />
      <input aria-label={`Maximum ${column.label}`} className={hi === 'bad' ? 'qx-bad' : undefined} placeholder={`max ${hint}`} value={max} onChange={(e) => setMax(e.target.value)} />
    </div>
  );
}
