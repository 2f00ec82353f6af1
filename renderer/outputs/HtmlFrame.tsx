/// <reference types="vite/client" />
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import outputFrameUrl from './frame/outputFrame.html?url';
import { openExternalLink } from '../markdown/linkRules';
import { isFrameMessage } from './frameDocument';

/** Tallest a frame may grow; the output area scrolls beyond its own limit anyway. */
const MAX_FRAME_HEIGHT = 20_000;

export interface HtmlFrameProps {
  /** A complete document from `htmlFrameDocument` / `javascriptFrameDocument`. */
  document: string;
  title: string;
  /** Height to show before the frame reports its own. */
  initialHeight?: number;
}

// Last height each document reported: a frame that scrolls back into a virtualized notebook starts at
// its real size instead of jumping from the placeholder height.
const knownHeights = new Map<string, number>();
const KNOWN_HEIGHTS_SIZE = 500;

/** A short fingerprint of a document (FNV-1a over the text, plus its length). */
function fingerprint(doc: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < doc.length; i++) h = Math.imul(h ^ doc.charCodeAt(i), 0x01000193);
  return `${(h >>> 0).toString(36)}:${doc.length}`;
}

function rememberHeight(key: string, height: number): void {
  knownHeights.delete(key);
  if (knownHeights.size >= KNOWN_HEIGHTS_SIZE) knownHeights.delete(knownHeights.keys().next().value as string);
  knownHeights.set(key, height);
}

/** The URL of the sandbox loader page (exported for tests and for hosts that must serve it). */
export const OUTPUT_FRAME_URL: string = outputFrameUrl;

/**
 * Whether a link a frame asks for may open. The frame's word ("it was a click") proves nothing: its
 * script is the notebook's. So the app also requires a user gesture made in that frame: this document
 * has transient user activation (a click in a frame activates its ancestors too) and the frame holds
 * the focus (a click in the frame moves it there; a key press or click elsewhere in the app gives
 * activation but not to this frame). Opening the window consumes the activation in every frame, so
 * one gesture opens at most one link, and a script posting link messages on its own opens none.
 */
export function linkOpenAllowed(
  message: { activated: boolean },
  frame: Element,
  focused: Element | null = document.activeElement,
  activation: { isActive: boolean } | undefined = navigator.userActivation,
): boolean {
  return message.activated && focused === frame && activation?.isActive === true;
}

/**
 * Shows untrusted HTML or JavaScript in `<iframe sandbox="allow-scripts">` (no allow-same-origin:
 * an opaque origin that cannot reach the app). The frame loads a tiny loader page, announces itself,
 * receives the document by postMessage, and then reports its content height so it never shows an
 * inner scrollbar. Messages are accepted only from this frame's own window.
 */
export function HtmlFrame({ document: doc, title, initialHeight = 24 }: HtmlFrameProps): React.JSX.Element {
  const ref = useRef<HTMLIFrameElement>(null);
  const key = useMemo(() => fingerprint(doc), [doc]);
  const [height, setHeight] = useState(() => knownHeights.get(key) ?? initialHeight);

  // Layout effect: the listener must exist before the frame can possibly post 'ready'.
  useLayoutEffect(() => {
    const onMessage = (event: MessageEvent): void => {
      const frame = ref.current;
      if (!frame || event.source === null || event.source !== frame.contentWindow || !isFrameMessage(event.data)) return;
      const message = event.data;
      if (message.type === 'quire-frame:ready') {
        frame.contentWindow?.postMessage({ type: 'quire-frame:render', html: doc }, '*');
      } else if (message.type === 'quire-frame:height') {
        const next = Math.max(0, Math.min(MAX_FRAME_HEIGHT, message.height));
        rememberHeight(key, next);
        setHeight(next);
      } else if (message.type === 'quire-frame:link' && linkOpenAllowed(message, frame)) {
        openExternalLink(message.href);
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [doc, key]);

  return (
    <iframe
      // A new document means a fresh frame: the loader accepts exactly one render message.
      key={doc}
      ref={ref}
      className="quire-output-frame"
      title={title}
      sandbox="allow-scripts"
      src={OUTPUT_FRAME_URL}
      referrerPolicy="no-referrer"
      style={{ height: `${height}px` }}
    />
  );
}
