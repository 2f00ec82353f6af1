/**
 * A standalone page for the explorer (used by e2e/explorer.spec.ts and for screenshots): renders
 * `DataExplorer` for one of the sample inputs named by `?case=` over its own store (no kernel),
 * logging metadata changes.
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import type { JsonObject, JsonValue } from '../../../src/jupyter/messages';
import DataExplorer from '../DataExplorer';
import { createStandaloneExplorerStore } from '../standaloneStore';
import { harnessCases } from './harnessCases';

function Harness({ resource, initial }: { resource: JsonValue; initial: JsonObject }): React.JSX.Element {
  const [metadata, setMetadata] = useState<JsonObject>(initial);
  const [changes, setChanges] = useState(0);
  return (
    <>
      <DataExplorer resource={resource} metadata={metadata} onChangeMetadata={(m) => { setMetadata(m); setChanges((c) => c + 1); }} />
      <pre data-testid="metadata-log" data-changes={changes} style={{ fontSize: 11, color: '#666' }}>{JSON.stringify(metadata)}</pre>
    </>
  );
}

const params = new URLSearchParams(location.search);
const name = params.get('case') ?? 'sales';
const make = harnessCases[name];
const root = createRoot(document.getElementById('root')!);
if (!make) {
  root.render(<p>Unknown case {name}; cases: {Object.keys(harnessCases).join(', ')}</p>);
} else {
  const { resource, metadata } = make();
  const store = createStandaloneExplorerStore();
  root.render(<StrictMode><Provider store={store}><Harness resource={resource} initial={metadata ?? {}} /></Provider></StrictMode>);
}
