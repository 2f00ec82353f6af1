import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// electron-builder cannot run here (it downloads Electron); this checks its config statically
// against electron-builder's own JSON schema and the packaging promises we make.
const repo = resolve(__dirname, '..');
const config = parse(readFileSync(join(repo, 'electron-builder.yml'), 'utf8'));

describe('electron-builder.yml', () => {
  it('validates against electron-builder\'s schema', () => {
    const schema = JSON.parse(readFileSync(join(repo, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('packages Quire for Linux, macOS and Windows with the .ipynb association', () => {
    expect(config.appId).toBe('dev.quire.app');
    expect(config.productName).toBe('Quire');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'ipynb', name: 'Jupyter Notebook', mimeType: 'application/x-ipynb+json', role: 'Editor' })]);
    expect(config.asarUnpack).toContain('node_modules/zeromq/**');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json', 'node_modules']));
  });

  it('leaves the renderer\'s test build (window.__quire) out of the package', () => {
    expect(config.files).toContain('!dist/renderer-test/**');
  });

  it('points at icons that exist', () => {
    for (const path of [config.mac.icon, config.win.icon, join(config.linux.icon, '512x512.png'), join(config.directories.buildResources, 'quire.icns'), join(config.directories.buildResources, 'quire.ico')]) {
      expect(existsSync(join(repo, path)), path).toBe(true);
    }
    const icns = readFileSync(join(repo, config.mac.icon));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });

  it('runs the bundled main process the package names', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/main/main.js');
    expect(pkg.scripts.dist).toContain('electron-builder --config electron-builder.yml');
  });
});
