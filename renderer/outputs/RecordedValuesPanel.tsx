/// <reference types="vite/client" />
import { useMemo } from 'react';
import type { Notebook } from '../../src/jupyter/nbformat';
import { collectScraps, scrapPreview, type Scrap } from './scraps';
import './outputs.css';

export interface RecordedValuesPanelProps {
  /** The notebook whose scrapbook scraps / papermill records to list (or pass `scraps`). */
  notebook?: Pick<Notebook, 'cells'>;
  /** Precomputed scraps (e.g. from a run); wins over `notebook`. */
  scraps?: readonly Scrap[];
  /** Called when a row is activated, to reveal the cell that recorded it. */
  onRevealCell?: (scrap: Scrap) => void;
}

/**
 * "Recorded values": the values a notebook recorded with scrapbook's `sb.glue` (or papermill's
 * legacy `pm.record`), which are hidden from the cells themselves. One row per name: name, encoder
 * and a preview of the value.
 */
export function RecordedValuesPanel({ notebook, scraps, onRevealCell }: RecordedValuesPanelProps): React.JSX.Element {
  const rows = useMemo(() => scraps ?? (notebook ? collectScraps(notebook) : []), [scraps, notebook]);
  return (
    <section className="quire-recorded-values" aria-label="Recorded values">
      <header className="quire-recorded-values-header">
        Recorded values <span className="quire-recorded-values-count">{rows.length}</span>
      </header>
      {rows.length === 0 ? (
        <div className="quire-output-notice">No recorded values. Values glued with scrapbook (sb.glue) appear here.</div>
      ) : (
        <table className="quire-recorded-values-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Encoder</th>
              <th>Value</th>
              <th>Cell</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((scrap) => (
              <tr key={scrap.name} data-scrap-name={scrap.name}>
                <td className="scrap-name">{scrap.name}</td>
                <td className="scrap-encoder">{scrap.encoder}</td>
                <td className="scrap-value" title={scrapPreview(scrap, 2000)}>
                  {scrapPreview(scrap)}
                </td>
                <td className="scrap-cell">
                  {onRevealCell ? (
                    <button type="button" className="quire-output-link-button" onClick={() => onRevealCell(scrap)}>
                      [{scrap.cellIndex + 1}]
                    </button>
                  ) : (
                    `[${scrap.cellIndex + 1}]`
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
