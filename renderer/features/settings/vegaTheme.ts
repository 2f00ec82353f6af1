/**
 * Vega's look in the dark theme: vega-themes' `dark` with the app's calmer palette (its greys
 * and white are harsh on our ground) and a transparent background. Passed to vega-embed by
 * VegaOutput and the explorer's ChartView; nothing for the light theme (vega's defaults).
 */
import type { ResolvedTheme } from './theme';

const LABEL = '#a7afbc';
const TITLE = '#d9dee7';
const LINE = '#5c6370';
const GRID = '#30363f';

export function vegaEmbedThemeOptions(theme: ResolvedTheme): { theme?: 'dark'; config?: Record<string, unknown> } {
  if (theme !== 'dark') return {};
  return {
    theme: 'dark',
    config: {
      background: 'transparent',
      view: { stroke: GRID },
      axis: { domainColor: LINE, tickColor: LINE, gridColor: GRID, labelColor: LABEL, titleColor: TITLE },
      legend: { labelColor: LABEL, titleColor: TITLE },
      title: { color: TITLE, subtitleColor: LABEL },
      style: { 'guide-label': { fill: LABEL }, 'guide-title': { fill: TITLE }, 'group-title': { fill: TITLE }, cell: { stroke: GRID } },
    },
  };
}
