// Vite's client types: `?url` asset imports, `import.meta.glob`, CSS side-effect imports.
/// <reference types="vite/client" />
