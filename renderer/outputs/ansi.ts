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
  // OSC-8 hyperlinks (`ESC]8;;URL ESC\\text ESC]8;; ESC\\`) become `<a href>`: http(s) and mailto only,
  // and never in the app's own tab (linkGuard.ts opens them outside). The text is escaped, so the
  // only `<a href="` in the result is ansi_up's own.
  converter.url_allowlist = { http: 1, https: 1, mailto: 1 };
  return converter.ansi_to_html(text).replaceAll('<a href="', '<a target="_blank" rel="noopener noreferrer" href="');
}

/** Removes ANSI escapes (for plain-text copies and previews). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '');
}
