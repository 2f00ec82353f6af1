/// <reference types="vite/client" />
import { Component, lazy, Suspense, useMemo, useState, type ComponentType, type ReactNode } from 'react';
import type { JsonObject, JsonValue } from '../../src/jupyter/messages';
import { HtmlFrame } from './HtmlFrame';
import { htmlFrameDocument } from './frameDocument';

/** Props of the explorer engineer's `renderer/explorer/DataExplorer.tsx` default export. */
export interface DataExplorerProps {
  /** The `application/vnd.dataresource+json` value (table schema + rows). */
  resource: JsonObject;
  /** The output's metadata (the explorer keeps its view settings there). */
  metadata: JsonObject;
  onChangeMetadata: (metadata: JsonObject) => void;
}

// import.meta.glob instead of import(): the explorer is built in parallel and may be absent; a glob
// that matches nothing is an empty object, not a build error. Loaded lazily, on first toggle.
const explorerModules = import.meta.glob<{ default: ComponentType<DataExplorerProps> }>('../explorer/DataExplorer.tsx');
const loadExplorer = Object.values(explorerModules)[0];
const LazyExplorer = loadExplorer ? lazy(loadExplorer) : null;

/** Whether the data explorer module is part of this build. */
export const explorerAvailable = LazyExplorer !== null;

class ExplorerBoundary extends Component<{ children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(error: unknown): { error: string } {
    return { error: error instanceof Error ? error.message : String(error) };
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
}

/** A pandas table-schema output: the usual table, plus a toggle into the data explorer. */
export function DataResourceOutput({ resource, html, metadata, onChangeMetadata }: DataResourceOutputProps): React.JSX.Element {
  const [exploring, setExploring] = useState(false);
  const doc = useMemo(() => (html !== undefined ? htmlFrameDocument(html) : undefined), [html]);
  return (
    <div className="quire-output-dataresource">
      <div className="quire-output-toolbar">
        <button type="button" className="quire-output-toggle" aria-pressed={exploring} onClick={() => setExploring(!exploring)}>
          {exploring ? 'Show table' : 'Explore data'}
        </button>
      </div>
      {exploring ? (
        LazyExplorer ? (
          <ExplorerBoundary>
            <Suspense fallback={<div className="quire-output-notice">Loading data explorer…</div>}>
              <LazyExplorer resource={resource} metadata={metadata} onChangeMetadata={onChangeMetadata ?? (() => undefined)} />
            </Suspense>
          </ExplorerBoundary>
        ) : (
          <div className="quire-output-notice" role="status">
            Data explorer not available in this build.
          </div>
        )
      ) : doc !== undefined ? (
        <HtmlFrame document={doc} title="Table output" />
      ) : (
        <DataResourceTable resource={resource} />
      )}
    </div>
  );
}
