/**
 * The command registry: one list that Electron's menus (main/menus.ts) and the renderer's
 * keyboard shortcuts are both built from, so a menu label, its shortcut and what it does never
 * drift apart. Menu clicks arrive in the renderer as `native.onDidRequestCommand({ command: id })`;
 * the renderer runs the same handler it runs for the shortcut.
 */

export type MenuId = 'file' | 'edit' | 'view' | 'cell' | 'kernel' | 'run' | 'help';

/**
 * When a shortcut applies, Jupyter-style: `command` mode is the notebook with no editor focused
 * (single-letter keys like A, B, D D), `edit` mode is inside a cell editor, `any` is both.
 */
export type KeyMode = 'any' | 'command' | 'edit';

export interface CommandDefinition {
  /** Stable id, `area.verb` (`notebook.save`, `cell.runAndAdvance`): scripts and menus use it. */
  readonly id: string;
  /** Menu and palette label; `…` when it asks for more input. */
  readonly label: string;
  readonly menu?: MenuId;
  /** Items with the same group sit together; groups are separated by a line, in `menuLayout` order. */
  readonly group?: string;
  /**
   * Shortcuts in Electron accelerator syntax (`CmdOrCtrl+Shift+S`, `Shift+Enter`); a space makes
   * a chord (`D D`). The first one is shown in menus.
   */
  readonly keys?: readonly string[];
  /** Default: 'any'. */
  readonly keyMode?: KeyMode;
  /** An Electron menu role that implements it natively (zoom), used instead of a click. */
  readonly electronRole?: 'zoomIn' | 'zoomOut' | 'resetZoom' | 'toggleDevTools' | 'togglefullscreen';
  /** Filled in by the shell (e.g. the recent files list). */
  readonly submenu?: 'recentFiles';
  /** Only meaningful in one shell (the browser tab cannot close itself). */
  readonly shell?: 'electron' | 'browser';
  /**
   * In Electron the main process runs it (its menu accelerator is registered there: new/open
   * windows, close, zoom), so the renderer's shortcut handler skips it in that shell. In the
   * browser the renderer runs every command.
   */
  readonly mainHandles?: true;
}

const c = (def: CommandDefinition): CommandDefinition => def;

/** Every command Quire knows. Order inside a group is menu order. */
export const COMMANDS = [
  // File
  c({ id: 'notebook.new', label: 'New Notebook', menu: 'file', group: 'new', keys: ['CmdOrCtrl+N'], mainHandles: true }),
  c({ id: 'notebook.open', label: 'Open…', menu: 'file', group: 'open', keys: ['CmdOrCtrl+O'], mainHandles: true }),
  c({ id: 'notebook.openRecent', label: 'Open Recent', menu: 'file', group: 'open', submenu: 'recentFiles', mainHandles: true }),
  c({ id: 'notebook.save', label: 'Save', menu: 'file', group: 'save', keys: ['CmdOrCtrl+S'] }),
  c({ id: 'notebook.saveAs', label: 'Save As…', menu: 'file', group: 'save', keys: ['CmdOrCtrl+Shift+S'] }),
  c({ id: 'app.settings', label: 'Settings…', menu: 'file', group: 'settings', keys: ['CmdOrCtrl+,'] }),
  c({ id: 'tab.close', label: 'Close Tab', menu: 'file', group: 'close', keys: ['Alt+W'] }),
  c({ id: 'window.close', label: 'Close Window', menu: 'file', group: 'close', keys: ['CmdOrCtrl+W'], shell: 'electron', mainHandles: true }),

  // Edit (cell operations; text editing uses the platform's own Edit roles next to these)
  c({ id: 'cell.undo', label: 'Undo Cell Operation', menu: 'edit', group: 'undo', keys: ['Z'], keyMode: 'command' }),
  c({ id: 'cell.redo', label: 'Redo Cell Operation', menu: 'edit', group: 'undo', keys: ['Shift+Z'], keyMode: 'command' }),
  c({ id: 'cell.cut', label: 'Cut Cells', menu: 'edit', group: 'clipboard', keys: ['X'], keyMode: 'command' }),
  c({ id: 'cell.copy', label: 'Copy Cells', menu: 'edit', group: 'clipboard', keys: ['C'], keyMode: 'command' }),
  c({ id: 'cell.pasteBelow', label: 'Paste Cells Below', menu: 'edit', group: 'clipboard', keys: ['V'], keyMode: 'command' }),
  c({ id: 'cell.pasteAbove', label: 'Paste Cells Above', menu: 'edit', group: 'clipboard', keys: ['Shift+V'], keyMode: 'command' }),
  c({ id: 'notebook.find', label: 'Find…', menu: 'edit', group: 'find', keys: ['CmdOrCtrl+F'] }),
  c({ id: 'notebook.replace', label: 'Find and Replace…', menu: 'edit', group: 'find', keys: ['CmdOrCtrl+H'] }),

  // View
  c({ id: 'view.toggleLineNumbers', label: 'Toggle Line Numbers', menu: 'view', group: 'cells', keys: ['Shift+L'], keyMode: 'command' }),
  c({ id: 'view.toggleInput', label: 'Collapse/Expand Input', menu: 'view', group: 'cells' }),
  c({ id: 'view.toggleOutput', label: 'Collapse/Expand Output', menu: 'view', group: 'cells', keys: ['O'], keyMode: 'command' }),
  c({ id: 'view.fileBrowser', label: 'File Browser', menu: 'view', group: 'tabs', keys: ['CmdOrCtrl+Shift+E'] }),
  c({ id: 'tab.next', label: 'Next Tab', menu: 'view', group: 'tabs', keys: ['CmdOrCtrl+Shift+]'] }),
  c({ id: 'tab.previous', label: 'Previous Tab', menu: 'view', group: 'tabs', keys: ['CmdOrCtrl+Shift+['] }),
  c({ id: 'view.zoomIn', label: 'Zoom In', menu: 'view', group: 'zoom', keys: ['CmdOrCtrl+='], electronRole: 'zoomIn', mainHandles: true }),
  c({ id: 'view.zoomOut', label: 'Zoom Out', menu: 'view', group: 'zoom', keys: ['CmdOrCtrl+-'], electronRole: 'zoomOut', mainHandles: true }),
  c({ id: 'view.resetZoom', label: 'Actual Size', menu: 'view', group: 'zoom', keys: ['CmdOrCtrl+0'], electronRole: 'resetZoom', mainHandles: true }),
  c({ id: 'view.toggleFullScreen', label: 'Toggle Full Screen', menu: 'view', group: 'window', keys: ['F11'], electronRole: 'togglefullscreen', shell: 'electron', mainHandles: true }),
  c({ id: 'view.toggleDevTools', label: 'Toggle Developer Tools', menu: 'view', group: 'window', keys: ['CmdOrCtrl+Alt+I'], electronRole: 'toggleDevTools', shell: 'electron', mainHandles: true }),

  // Cell
  c({ id: 'cell.run', label: 'Run Cell', menu: 'cell', group: 'run', keys: ['CmdOrCtrl+Enter'] }),
  c({ id: 'cell.runAndAdvance', label: 'Run Cell and Select Below', menu: 'cell', group: 'run', keys: ['Shift+Enter'] }),
  c({ id: 'cell.runAndInsert', label: 'Run Cell and Insert Below', menu: 'cell', group: 'run', keys: ['Alt+Enter'] }),
  c({ id: 'cell.runAll', label: 'Run All Cells', menu: 'cell', group: 'runMany' }),
  c({ id: 'cell.runAbove', label: 'Run All Above', menu: 'cell', group: 'runMany' }),
  c({ id: 'cell.runBelow', label: 'Run Selected and All Below', menu: 'cell', group: 'runMany' }),
  c({ id: 'cell.insertAbove', label: 'Insert Cell Above', menu: 'cell', group: 'insert', keys: ['A'], keyMode: 'command' }),
  c({ id: 'cell.insertBelow', label: 'Insert Cell Below', menu: 'cell', group: 'insert', keys: ['B'], keyMode: 'command' }),
  c({ id: 'cell.changeToCode', label: 'Change to Code', menu: 'cell', group: 'type', keys: ['Y'], keyMode: 'command' }),
  c({ id: 'cell.changeToMarkdown', label: 'Change to Markdown', menu: 'cell', group: 'type', keys: ['M'], keyMode: 'command' }),
  c({ id: 'cell.changeToRaw', label: 'Change to Raw', menu: 'cell', group: 'type', keys: ['R'], keyMode: 'command' }),
  c({ id: 'cell.toggleParameters', label: 'Toggle Parameters Cell', menu: 'cell', group: 'type', keys: ['P'], keyMode: 'command' }),
  c({ id: 'cell.moveUp', label: 'Move Cell Up', menu: 'cell', group: 'move', keys: ['Alt+Up'] }),
  c({ id: 'cell.moveDown', label: 'Move Cell Down', menu: 'cell', group: 'move', keys: ['Alt+Down'] }),
  c({ id: 'cell.merge', label: 'Merge Selected Cells', menu: 'cell', group: 'structure', keys: ['Shift+M'], keyMode: 'command' }),
  c({ id: 'cell.split', label: 'Split Cell at Cursor', menu: 'cell', group: 'structure', keys: ['CmdOrCtrl+Shift+-'], keyMode: 'edit' }),
  c({ id: 'cell.delete', label: 'Delete Cells', menu: 'cell', group: 'structure', keys: ['D D'], keyMode: 'command' }),
  c({ id: 'cell.clearOutputs', label: 'Clear Outputs', menu: 'cell', group: 'outputs' }),
  c({ id: 'cell.clearAllOutputs', label: 'Clear All Outputs', menu: 'cell', group: 'outputs' }),

  // Kernel
  c({ id: 'kernel.interrupt', label: 'Interrupt Kernel', menu: 'kernel', group: 'control', keys: ['I I'], keyMode: 'command' }),
  c({ id: 'kernel.restart', label: 'Restart Kernel…', menu: 'kernel', group: 'control', keys: ['0 0'], keyMode: 'command' }),
  c({ id: 'kernel.restartAndRunAll', label: 'Restart Kernel and Run All…', menu: 'kernel', group: 'control' }),
  c({ id: 'kernel.change', label: 'Change Kernel…', menu: 'kernel', group: 'choose' }),
  c({ id: 'kernel.shutdown', label: 'Shut Down Kernel', menu: 'kernel', group: 'choose' }),

  // Run (papermill-style)
  c({ id: 'run.withParameters', label: 'Run with Parameters…', menu: 'run', group: 'run', keys: ['CmdOrCtrl+Alt+P'] }),
  c({ id: 'run.showRuns', label: 'Runs Panel', menu: 'run', group: 'panel', keys: ['CmdOrCtrl+Alt+R'] }),
  c({ id: 'view.runs', label: 'All Runs', menu: 'run', group: 'panel', keys: ['CmdOrCtrl+Shift+R'] }),

  // Help
  c({ id: 'help.shortcuts', label: 'Keyboard Shortcuts', menu: 'help', group: 'help', keys: ['H'], keyMode: 'command' }),
  c({ id: 'help.about', label: 'About Quire', menu: 'help', group: 'about' }),
] as const satisfies readonly CommandDefinition[];

export type CommandId = (typeof COMMANDS)[number]['id'];

const byId = new Map<string, CommandDefinition>(COMMANDS.map((cmd) => [cmd.id, cmd]));

export function getCommand(id: string): CommandDefinition | undefined {
  return byId.get(id);
}

export function isCommandId(id: unknown): id is CommandId {
  return typeof id === 'string' && byId.has(id);
}

/** Menus in the order they appear, each with its group order. */
export const MENU_LAYOUT: ReadonlyArray<{ id: MenuId; label: string; groups: readonly string[] }> = [
  { id: 'file', label: 'File', groups: ['new', 'open', 'save', 'settings', 'close'] },
  { id: 'edit', label: 'Edit', groups: ['undo', 'clipboard', 'find'] },
  { id: 'view', label: 'View', groups: ['tabs', 'cells', 'zoom', 'window'] },
  { id: 'cell', label: 'Cell', groups: ['run', 'runMany', 'insert', 'type', 'move', 'structure', 'outputs'] },
  { id: 'kernel', label: 'Kernel', groups: ['control', 'choose'] },
  { id: 'run', label: 'Run', groups: ['run', 'panel'] },
  { id: 'help', label: 'Help', groups: ['help', 'about'] },
];
