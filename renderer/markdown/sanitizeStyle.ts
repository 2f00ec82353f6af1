/**
 * Inline `style` attributes from notebooks (markdown cells, `text/markdown` and SVG outputs) are
 * inserted into the app's own document, so they must not let content leave its cell: a
 * `position:fixed` div once covered the window with a fake sign-in screen. The attribute is parsed
 * into declarations and only an allow-list of properties that style content in place survives
 * (colours, fonts, text, borders, padding, sizes, in-flow layout). Positioning, stacking, transforms,
 * negative margins, `url(…)` and anything unknown are dropped. The CSS containment of the content
 * boxes (markdown.css, outputs.css) is the second fence.
 */

const ALLOWED = new Set([
  'color', 'background', 'background-color', 'opacity', 'visibility',
  'font', 'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant', 'line-height', 'letter-spacing', 'word-spacing',
  'text-align', 'text-decoration', 'text-decoration-line', 'text-decoration-color', 'text-decoration-style', 'text-transform',
  'text-shadow', 'text-overflow', 'white-space', 'word-break', 'word-wrap', 'overflow-wrap', 'vertical-align', 'hyphens', 'tab-size',
  'list-style', 'list-style-type', 'list-style-position',
  'border-collapse', 'border-spacing', 'table-layout', 'caption-side', 'empty-cells',
  'width', 'min-width', 'max-width', 'height', 'min-height', 'max-height', 'box-sizing', 'aspect-ratio',
  'display', 'float', 'clear', 'overflow', 'overflow-x', 'overflow-y', 'position',
  'flex', 'flex-direction', 'flex-wrap', 'flex-flow', 'flex-grow', 'flex-shrink', 'flex-basis', 'order',
  'justify-content', 'justify-items', 'align-items', 'align-content', 'align-self', 'gap', 'row-gap', 'column-gap',
  'grid-template-columns', 'grid-template-rows', 'grid-column', 'grid-row', 'grid-auto-flow',
  'fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin', 'fill-opacity', 'stroke-opacity',
]);
const BORDER = /^border(?:-(?:top|right|bottom|left))?(?:-(?:width|style|color))?$|^border(?:-(?:top|bottom)-(?:left|right))?-radius$/;
const BOX = /^(?:padding|margin)(?:-(?:top|right|bottom|left))?$/;

/** Values a property may take when it could otherwise lift content out of the flow. */
const VALUES: Readonly<Record<string, RegExp>> = {
  position: /^(?:static|relative)$/,
  display: /^(?:none|block|inline|inline-block|flow-root|flex|inline-flex|grid|inline-grid|list-item|contents|table|inline-table|table-row|table-cell|table-row-group|table-header-group|table-footer-group|table-column|table-column-group|table-caption)$/,
};

/** No url() loads, no escapes or comments that could hide a name from this check, no legacy expression(). */
const UNSAFE_VALUE = /url\s*\(|image-set\s*\(|image\s*\(|expression\s*\(|\\|\/\*|[<>{}]/i;

/** Splits a declaration list on `;` outside parentheses and quotes. */
function declarations(style: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < style.length; i++) {
    const c = style[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) {
      out.push(style.slice(start, i));
      start = i + 1;
    }
  }
  out.push(style.slice(start));
  return out;
}

/** Whether one declaration keeps content inside its box. */
export function isAllowedDeclaration(property: string, value: string): boolean {
  if (!/^[a-z-]+$/.test(property) || !value || UNSAFE_VALUE.test(value)) return false;
  if (!ALLOWED.has(property) && !BORDER.test(property) && !BOX.test(property)) return false;
  const allowedValues = VALUES[property];
  if (allowedValues && !allowedValues.test(value.toLowerCase())) return false;
  // Negative margins pull content over what is around it (the toolbar above the first cell).
  if (property.startsWith('margin') && /(?:^|[\s(,])-/.test(value)) return false;
  return true;
}

/** The allowed declarations of a `style` attribute, re-serialized (`''` when none is left). */
export function sanitizeStyle(style: string): string {
  const kept: string[] = [];
  for (const declaration of declarations(style)) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    // !important would outrank the app's own rules; the declaration keeps its value without it.
    const value = declaration.slice(colon + 1).trim().replace(/\s*!\s*important\s*$/i, '');
    if (isAllowedDeclaration(property, value)) kept.push(`${property}:${value}`);
  }
  return kept.join(';');
}

/** `class` tokens from content that name the app's own classes (`quire-modal-backdrop` is `position: fixed`) are dropped; our math classes stay. */
export function sanitizeClassList(value: string): string {
  return value.split(/\s+/).filter((c) => c && (!/^quire-/i.test(c) || /^quire-math-/.test(c))).join(' ');
}
