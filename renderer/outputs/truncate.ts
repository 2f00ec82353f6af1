/** Cutting long text outputs so a runaway loop cannot freeze the editor; the user can ask for all of it. */

/** Default number of lines shown before an output is cut. */
export const DEFAULT_MAX_OUTPUT_LINES = 1000;
/** Default number of characters shown before an output is cut (about 1 MB of text). */
export const DEFAULT_MAX_OUTPUT_CHARS = 1_000_000;

export interface TruncatedText {
  /** The text to show. */
  text: string;
  /** Whether anything was cut. */
  truncated: boolean;
  /** Lines in the full text. */
  totalLines: number;
  /** Lines not shown (counting a partly shown line as hidden). */
  hiddenLines: number;
  /** Characters not shown. */
  hiddenChars: number;
}

/** Counts lines as an editor would: a trailing newline does not start a new line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) if (i < text.length - 1) n++;
  return n;
}

/**
 * Keeps the head of `text`: at most `maxLines` lines and `maxChars` characters. A limit of 0, a
 * negative number or Infinity means no limit.
 */
export function truncateText(text: string, maxLines = DEFAULT_MAX_OUTPUT_LINES, maxChars = DEFAULT_MAX_OUTPUT_CHARS): TruncatedText {
  const totalLines = countLines(text);
  let end = text.length;
  if (maxLines > 0 && Number.isFinite(maxLines) && totalLines > maxLines) {
    let i = -1;
    for (let n = 0; n < maxLines; n++) i = text.indexOf('\n', i + 1);
    end = i + 1;
  }
  if (maxChars > 0 && Number.isFinite(maxChars) && end > maxChars) {
    end = maxChars;
    // Do not cut an ANSI escape sequence in half: it would print garbage.
    const esc = text.lastIndexOf('\x1b', end);
    // eslint-disable-next-line no-control-regex
    if (esc !== -1 && end - esc < 32 && !/^\x1b\[[0-9;]*[A-Za-z]/.test(text.slice(esc, end))) end = esc;
  }
  if (end >= text.length) return { text, truncated: false, totalLines, hiddenLines: 0, hiddenChars: 0 };
  const shown = text.slice(0, end);
  const shownLines = shown.endsWith('\n') ? countLines(shown) : countLines(shown) - 1;
  return { text: shown, truncated: true, totalLines, hiddenLines: totalLines - shownLines, hiddenChars: text.length - end };
}
