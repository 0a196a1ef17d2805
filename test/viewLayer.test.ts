import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findInterpolatedMarkup, scanFiles, typeScriptFiles } from './support/markupScan';

const root = path.join(__dirname, '..');

describe('one view layer', () => {
  it('finds a value interpolated into markup, tagged or not, and ignores markup without values and values without markup', () => {
    const bad = [
      'const a = (name: string) => `<p>Hola ${name}</p>`;',
      'const b = (url: string) => html`<a href="${url}">enlace</a>`;',
      'const c = (x: string) => `${x}</td>`;',
      'const d = (v: string) => `<input value="${v}">`;',
    ];
    for (const snippet of bad) expect(findInterpolatedMarkup(snippet)).toHaveLength(1);
    const fine = [
      'const e = `<p>Sin valores</p>`;',
      'const f = (n: number) => `Meta ${n} de 10 < 20`;',
      "const g = (id: string) => `revision-${id}`;",
      'const h = (n: number) => `${n} <= límite`;',
    ];
    for (const snippet of fine) expect(findInterpolatedMarkup(snippet)).toEqual([]);
    expect(findInterpolatedMarkup('const x = 1;\nconst y = (v: string) => `<b>${v}</b>`;', 'z.ts')).toEqual([{ file: 'z.ts', line: 2, text: '`<b>${v}</b>`' }]);
  });

  it('builds no HTML from data in server/ outside server/views/, nor in auth/', () => {
    const files = [...typeScriptFiles(root, 'server', ['server/views']), ...typeScriptFiles(root, 'auth')];
    expect(files).toContain('server/app.ts');
    expect(files).toContain('auth/middleware.ts');
    expect(files.some((f) => f.startsWith('server/views/'))).toBe(false);
    const findings = scanFiles(root, files);
    expect(findings).toEqual([]);
  });

  it('auth builds no page and imports nothing of server/: it renders through the pages it is given', () => {
    const importsOfServer = typeScriptFiles(root, 'auth').filter((file) => /from '\.\.\/server[/']/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(importsOfServer).toEqual([]);
  });

  it('keeps the views inside server/views/ (the scan would otherwise find nothing to check)', () => {
    const views = typeScriptFiles(root, 'server/views');
    expect(views).toEqual(expect.arrayContaining(['server/views/layout.ts', 'server/views/errorPages.ts', 'server/views/dashboard.ts']));
    expect(scanFiles(root, views).length).toBeGreaterThan(0);
  });
});
