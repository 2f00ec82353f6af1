// Vite's `?worker` and CSS side-effect imports (renderer/outputs/env.d.ts brings in vite/client).
/// <reference types="vite/client" />
declare module 'monaco-editor/editor/editor.worker?worker' {
  const WorkerFactory: new () => Worker;
  export default WorkerFactory;
}
declare module 'monaco-editor/features/*';
declare module 'monaco-editor/editor/contrib/suggest/browser/suggestController';
declare module 'monaco-editor/editor/browser/coreCommands';
declare module 'monaco-editor/languages/definitions/*';
