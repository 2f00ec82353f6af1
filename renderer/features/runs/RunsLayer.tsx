/**
 * Everything the runs feature shows in the notebook window, mounted once by the app: the
 * parameter dialog, the runs panel, the progress card and the read-only output view.
 */
import { useAppSelector } from '../../store/hooks';
import { RunOutputView } from './RunOutputView';
import { RunProgress } from './RunProgress';
import { RunsPanel } from './RunsPanel';
import { RunWithParametersDialog } from './RunWithParametersDialog';
import './runs.css';

export function RunsLayer(): React.JSX.Element | null {
  const view = useAppSelector((s) => s.files.view);
  const { dialogOpen, panelOpen, followed, viewer } = useAppSelector((s) => s.runs);
  // A run's record (from the Runs view) shows over any page; the rest belongs to an open notebook.
  if (view !== 'notebook') return viewer ? <RunOutputView /> : null;
  return (
    <>
      {panelOpen ? <RunsPanel /> : null}
      {followed ? <RunProgress key={followed} /> : null}
      {viewer ? <RunOutputView /> : null}
      {dialogOpen ? <RunWithParametersDialog /> : null}
    </>
  );
}
