import type { JsonObject } from '../../src/jupyter/messages';
import { sanitizeSvg } from '../markdown/sanitize';

/** Reads a positive size from output metadata (numbers or numeric strings). */
function size(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number.parseFloat(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

export interface ImageOutputProps {
  mime: string;
  /** Base64 data (whitespace allowed, as nbformat wraps long lines). */
  data: string;
  /** Per-mime metadata: `width`, `height`, `unconfined`, `needs_background`. */
  metadata: JsonObject;
}

/** A PNG/JPEG/GIF/WebP output as a data URL, honouring width/height metadata. */
export function ImageOutput({ mime, data, metadata }: ImageOutputProps): React.JSX.Element {
  const width = size(metadata.width);
  const height = size(metadata.height);
  const classes = ['quire-output-image'];
  if (metadata.unconfined === true) classes.push('is-unconfined');
  if (metadata.needs_background === 'light') classes.push('needs-light-background');
  if (metadata.needs_background === 'dark') classes.push('needs-dark-background');
  return <img className={classes.join(' ')} alt="" src={`data:${mime};base64,${data.replace(/\s+/g, '')}`} width={width} height={height} />;
}

/** An SVG output, sanitized (no scripts, no handlers) and inlined. */
export function SvgOutput({ svg, metadata }: { svg: string; metadata: JsonObject }): React.JSX.Element {
  const clean = sanitizeSvg(svg);
  const width = size(metadata.width);
  const height = size(metadata.height);
  return (
    <div
      className={metadata.unconfined === true ? 'quire-output-svg is-unconfined' : 'quire-output-svg'}
      style={width || height ? { width: width ? `${width}px` : undefined, height: height ? `${height}px` : undefined } : undefined}
      dangerouslySetInnerHTML={{ __html: clean }}
    />
  );
}
