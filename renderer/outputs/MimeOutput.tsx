import { useMemo } from 'react';
import type { JsonObject } from '../../src/jupyter/messages';
import { Markdown } from '../markdown/Markdown';
import { AnsiText } from './AnsiText';
import { DataResourceOutput } from './DataResourceOutput';
import { htmlFrameDocument, javascriptFrameDocument } from './frameDocument';
import { useResolvedTheme } from '../features/settings/theme';
import { HtmlFrame } from './HtmlFrame';
import { ImageOutput, SvgOutput } from './ImageOutput';
import { JsonTree } from './JsonTree';
import { LatexOutput } from './LatexOutput';
import { isRecordMime, isVegaFamilyMime, mimeJson, mimeMetadata, mimeText, selectMimeType, type MimeBundle } from './mimeBundle';
import { VegaOutput } from './VegaOutput';

export interface MimeOutputProps {
  bundle: MimeBundle;
  metadata: JsonObject;
  maxOutputLines?: number;
  maxOutputChars?: number;
  onChangeMaxLines?: (limit: number) => void;
  onChangeMetadata?: (metadata: JsonObject) => void;
  /** The data explorer's key in the store, for a data resource (`explorerIdOf(cellId, outputIndex)`). */
  explorerId?: string;
}

function FrameOf({ html, javascript }: { html?: string; javascript?: string }): React.JSX.Element {
  const theme = useResolvedTheme();
  const doc = useMemo(() => (javascript !== undefined ? javascriptFrameDocument(javascript, theme) : htmlFrameDocument(html ?? '', theme)), [html, javascript, theme]);
  return <HtmlFrame document={doc} title={javascript !== undefined ? 'JavaScript output' : 'HTML output'} />;
}

/** Renders the richest mime type of a display_data / execute_result bundle. */
export function MimeOutput({ bundle, metadata, maxOutputLines, maxOutputChars, onChangeMaxLines, onChangeMetadata, explorerId }: MimeOutputProps): React.JSX.Element | null {
  const mime = selectMimeType(bundle);
  const value = mime === undefined ? undefined : bundle[mime];
  // One object per output for the data explorer (a resource sent as JSON text would otherwise be
  // parsed again, and the explorer reopened, on every render).
  const resource = useMemo(() => (mime === 'application/vnd.dataresource+json' ? mimeJson(value) : undefined), [mime, value]);
  if (mime === undefined) return null;
  const meta = mimeMetadata(metadata, mime);
  let body: React.JSX.Element;
  if (isVegaFamilyMime(mime)) {
    body = <VegaOutput mime={mime} spec={mimeJson(value)} />;
  } else {
    switch (mime) {
      case 'application/vnd.dataresource+json': {
        body = (
          <DataResourceOutput
            resource={(resource && typeof resource === 'object' && !Array.isArray(resource) ? resource : {}) as JsonObject}
            html={'text/html' in bundle ? mimeText(bundle['text/html']) : undefined}
            metadata={metadata}
            onChangeMetadata={onChangeMetadata}
            explorerId={explorerId}
          />
        );
        break;
      }
      case 'text/html':
        body = <FrameOf html={mimeText(value)} />;
        break;
      case 'application/javascript':
        body = <FrameOf javascript={mimeText(value)} />;
        break;
      case 'text/markdown':
        body = <Markdown source={mimeText(value)} className="quire-output-markdown" />;
        break;
      case 'text/latex':
        body = <LatexOutput latex={mimeText(value)} />;
        break;
      case 'image/svg+xml':
        body = <SvgOutput svg={mimeText(value)} metadata={meta} />;
        break;
      case 'image/png':
      case 'image/jpeg':
      case 'image/gif':
      case 'image/webp':
        body = <ImageOutput mime={mime} data={mimeText(value)} metadata={meta} />;
        break;
      case 'application/json': {
        const expanded = meta.expanded === true;
        body = <JsonTree data={mimeJson(value)} expandDepth={expanded ? Infinity : 1} rootName={typeof meta.root === 'string' ? meta.root : 'root'} />;
        break;
      }
      case 'text/plain':
        body = <AnsiText text={mimeText(value)} maxLines={maxOutputLines} maxChars={maxOutputChars} onChangeMaxLines={onChangeMaxLines} />;
        break;
      default: {
        const shown = Object.keys(bundle).filter((m) => !isRecordMime(m));
        body = <div className="quire-output-notice">No renderer for {shown.join(', ')}</div>;
      }
    }
  }
  return (
    <div className="quire-output-mime" data-mime-type={mime}>
      {body}
    </div>
  );
}
