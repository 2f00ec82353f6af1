import { useState } from 'react';
import type { JsonValue } from '../../src/jupyter/messages';

export interface JsonTreeProps {
  data: JsonValue;
  /** Levels open at first (IPython's `JSON(expanded=True)` opens everything). */
  expandDepth?: number;
  /** Label of the root node (IPython's `root` metadata). */
  rootName?: string;
}

/** Items shown per container before a "show more" button, so huge arrays stay cheap. */
const PAGE = 100;

function summary(value: JsonValue): string {
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    return `{${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''}}`;
  }
  return '';
}

function Scalar({ value }: { value: JsonValue }): React.JSX.Element {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  return <span className="json-boolean">{String(value)}</span>;
}

function Node({ name, value, depth, expandDepth }: { name: string; value: JsonValue; depth: number; expandDepth: number }): React.JSX.Element {
  const isContainer = value !== null && typeof value === 'object';
  const [open, setOpen] = useState(depth < expandDepth);
  const [limit, setLimit] = useState(PAGE);
  if (!isContainer) {
    return (
      <li className="json-leaf" role="treeitem">
        <span className="json-key">{name}</span>
        <span className="json-colon">: </span>
        <Scalar value={value} />
      </li>
    );
  }
  const entries: Array<[string, JsonValue]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return (
    <li className="json-node" role="treeitem" aria-expanded={open}>
      <button type="button" className="json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="json-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="json-key">{name}</span>
        <span className="json-colon">: </span>
        <span className="json-summary">{summary(value)}</span>
      </button>
      {open ? (
        <ul className="json-children" role="group">
          {entries.slice(0, limit).map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} expandDepth={expandDepth} />
          ))}
          {entries.length > limit ? (
            <li role="none">
              <button type="button" className="quire-output-link-button" onClick={() => setLimit(limit + PAGE * 10)}>
                Show more ({entries.length - limit} left)
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

/** `application/json` as a collapsible tree. */
export function JsonTree({ data, expandDepth = 1, rootName = 'root' }: JsonTreeProps): React.JSX.Element {
  return (
    <ul className="quire-json-tree" role="tree">
      <Node name={rootName} value={data} depth={0} expandDepth={expandDepth} />
    </ul>
  );
}
