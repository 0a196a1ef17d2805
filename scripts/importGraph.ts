import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One relative import (or re-export) between two of the project's files. */
export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at compile time, but still a dependency of the design. */
  typeOnly: boolean;
}

const skippedFolders = new Set(['node_modules', 'data', 'coverage', 'test-results', '.git', 'test', 'migrations', 'docs']);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skippedFolders.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const resolveImport = (from: string, specifier: string) => {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => candidate.endsWith('.ts') && fs.existsSync(candidate));
};

/** Every relative import between the application's files (tests left out), paths relative to `root`. */
export function importGraph(root: string): ImportEdge[] {
  return sourceFiles(root).flatMap((file) => {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    return source.statements.flatMap((statement): ImportEdge[] => {
      if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) return [];
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return [];
      const target = resolveImport(file, specifier.text);
      if (!target) return [];
      const typeOnly = ts.isImportDeclaration(statement) ? Boolean(statement.importClause?.isTypeOnly) : statement.isTypeOnly;
      return [{ from: path.relative(root, file), to: path.relative(root, target), typeOnly }];
    });
  });
}

/** Groups of files that reach each other through imports (Tarjan's strongly connected components), sorted. */
export function importCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) === index.get(file)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== file);
      if (group.length > 1 || (next.get(file) ?? []).includes(file)) cycles.push(group.sort());
    }
  };
  for (const file of new Set(edges.flatMap((e) => [e.from, e.to]))) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
