import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The stylesheet's blocks close where they should: a lost brace puts every later rule inside an
 * @media block, and desktop pages silently lose their styles (a browser keeps parsing, so no page
 * test notices). Each section starts with a comment at the start of a line, at the top level.
 */
function sectionsOutsideTopLevel(css: string): string[] {
  const misplaced: string[] = [];
  let depth = 0;
  let line = 1;
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (c === '\n') line++;
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      const comment = css.slice(i, end === -1 ? css.length : end + 2);
      if (depth > 0 && (i === 0 || css[i - 1] === '\n')) misplaced.push(`línea ${line}: ${comment.slice(0, 60)}`);
      line += comment.split('\n').length - 1;
      i = end === -1 ? css.length : end + 1;
    } else if (c === '"' || c === "'") {
      i = css.indexOf(c, i + 1);
    } else if (c === '{') depth++;
    else if (c === '}') depth--;
    if (depth < 0) misplaced.push(`línea ${line}: "}" sin bloque abierto`);
  }
  if (depth !== 0) misplaced.push(`al final quedan ${depth} bloque(s) sin cerrar`);
  return misplaced;
}

describe('the stylesheet', () => {
  it('closes every block, and starts every section at the top level', () => {
    const css = readFileSync(path.join(__dirname, '..', 'server', 'assets', 'app.css'), 'utf8');
    expect(sectionsOutsideTopLevel(css)).toEqual([]);
  });

  it('finds a lost brace (the check can fail)', () => {
    const broken = '@media (max-width: 600px) {\n  a { color: red; }\n\n/* Section */\n.b { color: blue; }\n';
    expect(sectionsOutsideTopLevel(broken)).toEqual(['línea 4: /* Section */', 'al final quedan 1 bloque(s) sin cerrar']);
  });
});
