import { formatCell, formatNumber } from '../../src/explorer/format';
import { columnTypeLabel, type ColumnSummary, type ExplorerColumn } from '../../src/explorer/types';

export interface SummaryProps {
  columns: readonly ExplorerColumn[];
  summaries: ColumnSummary[] | undefined;
  error: string | null;
}

const n = (v: number): string => v.toLocaleString('en-US');

/** One card per column: type, counts, range/mean/quantiles and a histogram, or top values. */
export function Summary({ columns, summaries, error }: SummaryProps): React.JSX.Element {
  if (error) return <div className="qx-notice qx-error" role="alert">Could not summarize: {error}</div>;
  if (!summaries) return <div className="qx-notice" role="status">Summarizing…</div>;
  return (
    <div className="qx-summary" data-testid="explorer-summary">
      {summaries.map((s) => {
        const column = columns[s.column];
        if (!column) return null;
        const show = (v: number | string | null | undefined): string =>
          v === null || v === undefined ? '–' : typeof v === 'number' ? formatCell(v, column) : v;
        return (
          <section key={s.column} className="qx-card" aria-label={`Summary of ${column.label}`}>
            <header>
              <strong title={column.label}>{column.label}</strong>
              <span className={`qx-type-badge qx-type-${column.type}`}>{columnTypeLabel(column.type)}</span>
            </header>
            {column.note ? <p className="qx-card-note">⚠ {column.note}</p> : null}
            <dl>
              <dt>count</dt><dd>{n(s.count)}</dd>
              <dt>missing</dt><dd>{n(s.missing)}</dd>
              <dt>distinct</dt><dd>{n(s.distinct)}{s.distinctApprox ? '+' : ''}</dd>
              {s.infinite ? <><dt>±∞</dt><dd>{n(s.infinite)}</dd></> : null}
              {s.min !== undefined ? <><dt>min</dt><dd title={show(s.min)}>{show(s.min)}</dd><dt>max</dt><dd title={show(s.max)}>{show(s.max)}</dd></> : null}
              {s.mean !== undefined && s.mean !== null ? <><dt>mean</dt><dd>{column.type === 'temporal' ? show(s.mean) : formatNumber(s.mean)}</dd></> : null}
              {s.std !== undefined && s.std !== null && column.type === 'quantitative' ? <><dt>std</dt><dd>{formatNumber(s.std)}</dd></> : null}
              {s.quantiles ? <><dt>25/50/75%</dt><dd>{s.quantiles.map((q) => (column.type === 'temporal' ? show(q) : formatNumber(q))).join(' / ')}</dd></> : null}
            </dl>
            {s.histogram ? <Histogram bins={s.histogram} /> : null}
            {s.top ? <TopValues top={s.top} count={s.count} /> : null}
          </section>
        );
      })}
    </div>
  );
}

function Histogram({ bins }: { bins: NonNullable<ColumnSummary['histogram']> }): React.JSX.Element {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const w = 200 / bins.length;
  return (
    <svg className="qx-hist" viewBox="0 0 200 40" preserveAspectRatio="none" role="img" aria-label="histogram">
      {bins.map((b, i) => (
        <rect key={i} x={i * w + 0.5} width={Math.max(0.5, w - 1)} y={40 - (38 * b.count) / max} height={(38 * b.count) / max}>
          <title>{`${formatNumber(b.start)} – ${formatNumber(b.end)}: ${n(b.count)}`}</title>
        </rect>
      ))}
    </svg>
  );
}

function TopValues({ top, count }: { top: NonNullable<ColumnSummary['top']>; count: number }): React.JSX.Element {
  return (
    <ol className="qx-top">
      {top.slice(0, 6).map((t) => (
        <li key={t.value} title={t.value}>
          <span className="qx-top-bar" style={{ width: `${count ? (100 * t.count) / count : 0}%` }} />
          <span className="qx-top-value">{t.value.length > 60 ? `${t.value.slice(0, 60)}…` : t.value}</span>
          <span className="qx-top-count">{n(t.count)}</span>
        </li>
      ))}
    </ol>
  );
}
