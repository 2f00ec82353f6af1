/// <reference types="vite/client" />
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { JsonObject } from '../../src/jupyter/messages';
import { joinSource, type ErrorOutput, type Output } from '../../src/jupyter/nbformat';
import { resolveControlChars } from '../../src/jupyter/outputs';
import { explorerIdOf } from '../explorer/explorerSlice';
import { AnsiText } from './AnsiText';
import { InputPrompt } from './InputPrompt';
import { isHiddenOutput } from './mimeBundle';
import { MimeOutput } from './MimeOutput';
import { setOutputLineLimit, useOutputLineLimit } from './outputPreferences';
import { DEFAULT_MAX_OUTPUT_CHARS } from './truncate';
import './outputs.css';

/** Outputs shown per cell before a "Show all" button (each may be a frame or an image). */
export const MAX_OUTPUTS_SHOWN = 200;

/**
 * Props of {@link OutputArea}. Stable API for the notebook renderer; add optional members only.
 */
export interface OutputAreaProps {
  /** The cell's outputs, already folded by `src/jupyter/outputs.ts` (streams coalesced, displays updated, cleared). */
  outputs: readonly Output[];
  /** Owning cell id (used for element ids and test hooks). */
  cellId: string;
  /**
   * Lines of a text output shown before it is cut with a "Show all" button (0 = no limit). Default:
   * the user's preference (1000 until changed; the cut notice offers to change it).
   */
  maxOutputLines?: number;
  /** Characters of a text output shown before it is cut (default 1,000,000; 0 = no limit). */
  maxOutputChars?: number;
  /** Called when a renderer (the data explorer) changes an output's metadata; the caller stores it. */
  onOutputMetadataChange?: (index: number, metadata: JsonObject) => void;
  /** Reply to a pending `input_request` (Enter in the input box). */
  onInputReply?: (value: string) => void;
  /** The kernel's pending `input_request`, or null. */
  pendingInput?: { prompt: string; password: boolean } | null;
  /** False when no kernel is running: the input box is disabled. Default true. */
  kernelAvailable?: boolean;
  /** Start with tall output unscrolled (full height). Default false: tall output scrolls. */
  initiallyExpanded?: boolean;
}

function ErrorView({ output, maxLines, maxChars }: { output: ErrorOutput; maxLines: number; maxChars: number }): React.JSX.Element {
  const traceback = (output.traceback ?? []).join('\n');
  return (
    <div className="quire-output-error" role="alert">
      <div className="quire-output-error-header">
        <span className="quire-output-error-name">{output.ename}</span>
        {output.evalue ? <span className="quire-output-error-value">: {output.evalue}</span> : null}
      </div>
      {traceback ? <AnsiText text={traceback} className="quire-output-traceback" maxLines={maxLines} maxChars={maxChars} /> : null}
    </div>
  );
}

/**
 * All outputs of one code cell: picks a renderer per output (richest mime type first), hides
 * scrapbook/papermill recordings, cuts long text, scrolls when tall (with a toggle to expand), and
 * shows the kernel's input box when it asks for input.
 *
 * @example
 * <OutputArea outputs={cell.outputs} cellId={cell.id} pendingInput={input} onInputReply={reply} />
 */
export function OutputArea({
  outputs,
  cellId,
  maxOutputLines: maxOutputLinesProp,
  maxOutputChars = DEFAULT_MAX_OUTPUT_CHARS,
  onOutputMetadataChange,
  onInputReply,
  pendingInput = null,
  kernelAvailable = true,
  initiallyExpanded = false,
}: OutputAreaProps): React.JSX.Element | null {
  const preferredLines = useOutputLineLimit();
  const maxOutputLines = maxOutputLinesProp ?? preferredLines;
  // Offer to change the limit only when it is the user's own, not one the caller fixed.
  const changeLimit = maxOutputLinesProp === undefined ? setOutputLineLimit : undefined;
  const [expanded, setExpanded] = useState(initiallyExpanded);
  const [overflowing, setOverflowing] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  const measure = useCallback(() => {
    const el = scroller.current;
    if (el) setOverflowing(el.scrollHeight > el.clientHeight + 1);
  }, []);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    measure();
    return () => observer.disconnect();
  }, [measure, expanded]);

  const [outputLimit, setOutputLimit] = useState(MAX_OUTPUTS_SHOWN);
  const all = outputs.map((output, index) => ({ output, index })).filter(({ output }) => !isHiddenOutput(output));
  if (all.length === 0 && !pendingInput) return null;
  // A loop that displays thousands of figures should not freeze the editor: show the first ones.
  const visible = all.length > outputLimit ? all.slice(0, outputLimit) : all;

  return (
    <div className="quire-output-area" data-cell-id={cellId}>
      <div ref={scroller} className={`quire-output-scroller${expanded ? '' : ' is-scrolled'}${overflowing && !expanded ? ' is-overflowing' : ''}`}>
        <div className="quire-output-list">
          {visible.map(({ output, index }) => (
            <div key={index} className={`quire-output quire-output-${output.output_type}`} data-output-index={index}>
              {output.output_type === 'stream' ? (
                <AnsiText
                  // Saved notebooks may hold raw progress bars (`\r`, `\b`); live ones are already resolved.
                  text={resolveControlChars(joinSource(output.text))}
                  className={output.name === 'stderr' ? 'quire-output-stream is-stderr' : 'quire-output-stream'}
                  maxLines={maxOutputLines}
                  maxChars={maxOutputChars}
                  onChangeMaxLines={changeLimit}
                />
              ) : output.output_type === 'error' ? (
                <ErrorView output={output} maxLines={maxOutputLines} maxChars={maxOutputChars} />
              ) : (
                <MimeOutput
                  bundle={output.data}
                  metadata={output.metadata ?? {}}
                  maxOutputLines={maxOutputLines}
                  maxOutputChars={maxOutputChars}
                  onChangeMaxLines={changeLimit}
                  onChangeMetadata={onOutputMetadataChange ? (metadata) => onOutputMetadataChange(index, metadata) : undefined}
                  explorerId={explorerIdOf(cellId, index)}
                />
              )}
            </div>
          ))}
          {all.length > visible.length ? (
            <div className="quire-output quire-output-truncated" role="status">
              <span>{(all.length - visible.length).toLocaleString('en-US')} more outputs hidden</span>
              <button type="button" className="quire-output-link-button" onClick={() => setOutputLimit(Infinity)}>
                Show all
              </button>
            </div>
          ) : null}
          {pendingInput ? (
            <div className="quire-output quire-output-stdin">
              <InputPrompt
                key={`${pendingInput.prompt}\u0000${pendingInput.password}`}
                prompt={pendingInput.prompt}
                password={pendingInput.password}
                disabled={!kernelAvailable}
                onSubmit={(value) => onInputReply?.(value)}
              />
            </div>
          ) : null}
        </div>
      </div>
      {overflowing || expanded ? (
        <button type="button" className="quire-output-expand" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Collapse output' : 'Expand output'}
        </button>
      ) : null}
    </div>
  );
}
