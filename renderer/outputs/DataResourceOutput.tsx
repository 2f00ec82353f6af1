import { Component, useMemo, useState, type ReactNode } from 'react';
import { lazyComponent, useLazyComponent } from '../components/lazyComponent';
import { isExplorerOpen, setExplorerOpen } from '../../src/explorer/viewState';
import type { JsonObject, JsonValue } from '../../src/jupyter/messages';
import { HtmlFrame } from './HtmlFrame';
import { htmlFrameDocument } from './frameDocument';
import { useResolvedTheme } from '../features/settings/theme';

// The explorer is large (grid, charts): loaded when the pointer reaches its toggle, or on the toggle.
const explorerModule = lazyComponent(() => import('../explorer/DataExplorer'));

class ExplorerBoundary extends Component<{ children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(error: unknown): { error: string } {
    return { error: error instanceof Error ? error.message || error.name : String(error) };
  }
  override render(): ReactNode {
    if (this.state.error) return <div className="quire-output-notice">Data explorer failed: {this.state.error}</div>;
    return this.props.children;
  }
}

const MAX_TABLE_ROWS = 200;

function cell(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A plain table of a table-schema resource (used when the bundle has no HTML rendering). */
export function DataResourceTable({ resource }: { resource: JsonObject }): React.JSX.Element {
  const rows = (Array.isArray(resource.data) ? resource.data : []) as JsonObject[];
  const schema = (resource.schema ?? {}) as JsonObject;
  const fields = Array.isArray(schema.fields) ? (schema.fields as JsonObject[]).map((f) => String(f.name)) : Object.keys(rows[0] ?? {});
  return (
    <div className="quire-output-table-wrap">
      <table className="quire-output-table">
        <thead>
          <tr>
            {fields.map((f) => (
              <th key={f}>{f}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, MAX_TABLE_ROWS).map((row, i) => (
            <tr key={i}>
              {fields.map((f) => (
                <td key={f}>{cell(row[f])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > MAX_TABLE_ROWS ? <div className="quire-output-notice">{(rows.length - MAX_TABLE_ROWS).toLocaleString('en-US')} more rows</div> : null}
    </div>
  );
}

export interface DataResourceOutputProps {
  resource: JsonObject;
  /** The bundle's `text/html` (pandas sends both when `display.html.table_schema` is on). */
  html?: string;
  metadata: JsonObject;
  onChangeMetadata?: (metadata: JsonObject) => void;
  /** The explorer's key in the store (see renderer/explorer/explorerSlice.ts). */
  explorerId?: string;
}

/**
 * A pandas table-schema output: the usual table (the bundle's HTML in the sandbox frame, or a plain
 * table from the rows), plus a toggle into the data explorer (`renderer/explorer/DataExplorer.tsx`).
 */
export function DataResourceOutput({ resource, html, metadata, onChangeMetadata, explorerId }: DataResourceOutputProps): React.JSX.Element {
  // Reopen the explorer where the user left it (the explorer keeps its view in the output metadata).
  const [exploring, setExploring] = useState(() => isExplorerOpen(metadata));
  const toggle = (): void => {
    setExploring(!exploring);
    onChangeMetadata?.(setExplorerOpen(metadata, !exploring));
  };
  const theme = useResolvedTheme();
  const doc = useMemo(() => (html !== undefined ? htmlFrameDocument(html, theme) : undefined), [html, theme]);
  const { Component: Explorer, error } = useLazyComponent(explorerModule, exploring);
  const preload = (): void => void explorerModule.load().catch(() => undefined);
  return (
    <div className="quire-output-dataresource">
      <div className="quire-output-toolbar">
        <button type="button" className="quire-output-toggle" aria-pressed={exploring} onClick={toggle} onPointerEnter={preload} onFocus={preload}>
          {exploring ? 'Show table' : 'Explore data'}
        </button>
      </div>
      {exploring ? (
        <ExplorerBoundary>
          {Explorer ? <Explorer resource={resource} metadata={metadata} onChangeMetadata={onChangeMetadata ?? (() => undefined)} explorerId={explorerId} />
            : error ? <div className="quire-output-notice">Data explorer failed: {error}</div>
              : <div className="quire-output-notice">Loading data explorer…</div>}
        </ExplorerBoundary>
      ) : doc !== undefined ? (
        <HtmlFrame document={doc} title="Table output" />
      ) : (
        <DataResourceTable resource={resource} />
      )}
    </div>
  );
}
