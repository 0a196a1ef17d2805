import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface MarkupFinding {
  file: string;
  line: number;
  text: string;
}

/** An HTML start or end tag in a template's literal text (`<p>`, `</td>`, `<input `, `<!doctype`). */
const tagPattern = /<\/?[a-z][a-z0-9-]*[\s>/]|<!doctype/i;

/**
 * Template literals that put a value (`${…}`) into HTML-looking text: tagged (html`…`) or not.
 * Outside server/views (and mail's templates) such a literal is a page built in the wrong layer,
 * where a forgotten escape is an XSS.
 */
export function findInterpolatedMarkup(source: string, file = 'snippet.ts'): MarkupFinding[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const findings: MarkupFinding[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isTemplateExpression(node)) {
      const literalText = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('${}');
      if (tagPattern.test(literalText)) {
        const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
        findings.push({ file, line: line + 1, text: node.getText(sourceFile).slice(0, 120) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return findings;
}

/** Every .ts file under `dir` (relative to `root`), skipping the folders named in `except`. */
export function typeScriptFiles(root: string, dir: string, except: string[] = []): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (!except.includes(child)) walk(child);
      } else if (entry.name.endsWith('.ts')) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

export function scanFiles(root: string, files: string[]): MarkupFinding[] {
  return files.flatMap((file) => findInterpolatedMarkup(readFileSync(path.join(root, file), 'utf8'), file));
}
