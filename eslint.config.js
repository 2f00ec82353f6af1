// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/*
 * LAYERING RULES: do not relax.
 * Imports flow one way: renderer -> src, kernels -> src, main -> kernels + src.
 * src/ is environment-free (no Node, DOM libraries or Electron); renderer/ reaches the
 * outside world only through the host API; kernels/ never touches Electron or the renderer.
 */
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'util', 'events', 'url', 'worker_threads', 'zlib', 'readline', 'process'];
const layering = [
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    forbid: {
      paths: [...nodeBuiltins, 'electron', 'react', 'react-dom', 'zeromq', 'ws', 'monaco-editor', 'vega', 'vega-lite', 'vega-embed'],
      patterns: ['**/renderer/**', '**/kernels/**', '**/main/**', 'node:*', 'react-dom/*', 'monaco-editor/*'],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    // The negation is renderer/features/kernels (the kernels feature slice, design note 6.5), not the kernels/ layer.
    forbid: { paths: [...nodeBuiltins, 'electron', 'zeromq', 'ws'], patterns: ['**/kernels/**', '!**/features/kernels/**', '**/main/**', 'node:*'] },
  },
  {
    files: ['kernels/**/*.ts'],
    forbid: { paths: ['electron', 'react', 'react-dom', 'monaco-editor'], patterns: ['**/renderer/**', '**/main/**'] },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/preload/**'],
    forbid: { paths: ['react', 'react-dom', 'monaco-editor'], patterns: ['**/renderer/**'] },
  },
  {
    files: ['main/preload/**/*.ts'],
    forbid: { paths: [...nodeBuiltins, 'zeromq', 'ws', 'react'], patterns: ['**/renderer/**', '**/kernels/**', 'node:*', '../*.ts', '../main', '../windows*'] },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tsbuild/**', 'e2e-results/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-console': 'off',
      // Namespaces group helpers with their type (Event.map, ProxyChannel.toService), as VS Code does.
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  { files: ['kernels/**', 'main/**', 'bin/**', 'scripts/**', 'bench/**', 'e2e/**', '*.config.*', '**/*.test.ts'], languageOptions: { globals: { ...globals.node } } },
  { files: ['renderer/**', 'e2e/**'], languageOptions: { globals: { ...globals.browser } } },
  ...layering.map(({ files, ignores, forbid }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': ['error', {
        paths: forbid.paths.map((name) => ({ name, message: 'Layering: this folder may not import this module (see eslint.config.js).' })),
        patterns: [{ group: forbid.patterns, message: 'Layering: imports flow renderer -> src, kernels -> src, main -> kernels + src.' }],
      }],
    },
  })),
);
