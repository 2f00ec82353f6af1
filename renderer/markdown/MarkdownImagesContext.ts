import { createContext, useMemo } from 'react';
import type { INotebookFileService } from '../../src/host/contract';
import { imageLoaderFor, type ImageLoader } from './imageLoader';
import { parentFolder } from './resolveImageSource';

/** How markdown below finds its local images: the notebook's folder and the window's loader. */
export interface MarkdownImages {
  /** Relative image paths are taken from here; without it they are refused with a reason. */
  folder?: string;
  load?: ImageLoader;
}

export const MarkdownImagesContext = createContext<MarkdownImages>({});

/**
 * The context value for a notebook at `notebookPath` (or, unsaved, for `fallbackFolder`), reading
 * through `files` when there is a host.
 */
export function useMarkdownImages(notebookPath: string | undefined, fallbackFolder: string | undefined, files: Pick<INotebookFileService, 'readImage'> | undefined): MarkdownImages {
  const folder = notebookPath ? parentFolder(notebookPath) : fallbackFolder;
  const load = files ? imageLoaderFor(files) : undefined;
  return useMemo(() => ({ folder, load }), [folder, load]);
}
