/**
 * "Download a copy": the open notebook, as it is in the page (unsaved edits included), handed to
 * the browser as an .ipynb download. For when the host is gone and nothing can be saved: the
 * person can always get their work out. A blob: URL and `<a download>` start a download, not a
 * navigation, so the app's CSP (which allows no navigation targets) does not stand in the way.
 */
import { serializeNotebook } from '../../../src/jupyter/notebookFormat';
import type { AppDispatch } from '../../store/hooks';
import type { DocumentState } from '../../store/documentState';
import { notebookToSave } from './filesEpics';

/** The file name and Jupyter's canonical text for the open notebook, or undefined when none is open. */
export function notebookDownload(state: DocumentState): { name: string; text: string } | undefined {
  if (state.files.view !== 'notebook') return undefined;
  const name = state.files.path?.replace(/^.*[\\/]/, '') || 'Untitled.ipynb';
  return { name: name.toLowerCase().endsWith('.ipynb') ? name : `${name}.ipynb`, text: serializeNotebook(notebookToSave(state)) };
}

/** Starts the browser's download of `text` as `name`. */
export function downloadText(name: string, text: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ipynb+json' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  doc.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel a download that has not started reading the blob yet.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A thunk for the banner's button: downloads the open notebook. */
export const downloadNotebook = () => (_dispatch: AppDispatch, getState: () => DocumentState): void => {
  const file = notebookDownload(getState());
  if (file) downloadText(file.name, file.text);
};
