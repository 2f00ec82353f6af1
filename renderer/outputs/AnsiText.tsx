import { useMemo, useState } from 'react';
import { ansiToHtml } from './ansi';
import { OUTPUT_LINE_LIMIT_CHOICES } from './outputPreferences';
import { DEFAULT_MAX_OUTPUT_CHARS, DEFAULT_MAX_OUTPUT_LINES, truncateText } from './truncate';

export interface AnsiTextProps {
  text: string;
  className?: string;
  /** Lines shown before the text is cut (0 = no limit). */
  maxLines?: number;
  /** Characters shown before the text is cut (0 = no limit). */
  maxChars?: number;
  /** When given, the cut notice offers to change the line limit for all outputs. */
  onChangeMaxLines?: (limit: number) => void;
}

/** Monospace text with ANSI colours, cut at a limit with a "Show all" button. */
export function AnsiText({ text, className, maxLines = DEFAULT_MAX_OUTPUT_LINES, maxChars = DEFAULT_MAX_OUTPUT_CHARS, onChangeMaxLines }: AnsiTextProps): React.JSX.Element {
  const [showAll, setShowAll] = useState(false);
  const cut = useMemo(() => (showAll ? null : truncateText(text, maxLines, maxChars)), [text, maxLines, maxChars, showAll]);
  const shown = cut ? cut.text : text;
  const html = useMemo(() => ansiToHtml(shown), [shown]);
  return (
    <>
      <pre className={className ? `quire-output-text ${className}` : 'quire-output-text'} dangerouslySetInnerHTML={{ __html: html }} />
      {cut?.truncated ? (
        <div className="quire-output-truncated" role="status">
          <span>
            Output truncated: {cut.hiddenLines > 0 ? `${cut.hiddenLines.toLocaleString('en-US')} more line${cut.hiddenLines === 1 ? '' : 's'}` : `${cut.hiddenChars.toLocaleString('en-US')} more characters`} hidden
          </span>
          <button type="button" className="quire-output-link-button" onClick={() => setShowAll(true)}>
            Show all
          </button>
          {onChangeMaxLines ? (
            <label className="quire-output-limit">
              Limit
              <select value={String(maxLines)} onChange={(e) => onChangeMaxLines(Number(e.target.value))}>
                {[...new Set([...OUTPUT_LINE_LIMIT_CHOICES, maxLines])].map((n) => (
                  <option key={n} value={String(n)}>
                    {n === 0 ? 'no limit' : `${n.toLocaleString('en-US')} lines`}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
