/** ANSI-coloured text (tracebacks, coloured logs) to safe HTML. */
import { AnsiUp } from 'ansi_up';

/**
 * Converts text with ANSI SGR escapes to HTML. ansi_up escapes `<`, `>`, `&`, quotes, so the result
 * is safe to insert; the 16 basic colours become `ansi-*` classes styled by outputs.css, 256-colour
 * and true-colour escapes become inline colours.
 */
export function ansiToHtml(text: string): string {
  // One converter per call: ansi_up keeps colour state between calls, which must not leak across outputs.
  const converter = new AnsiUp();
  converter.use_classes = true;
  converter.escape_html = true;
  return converter.ansi_to_html(text);
}

/** Removes ANSI escapes (for plain-text copies and previews). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '');
}
