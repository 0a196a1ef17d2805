import path from 'node:path';
import { importCycles, importGraph, type ImportEdge } from '../scripts/importGraph';

const root = path.resolve(__dirname, '..');

describe('import graph', () => {
  const edges = importGraph(root);

  it('reads the application files and their imports', () => {
    // A walker that finds nothing would pass every check below.
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: 'reports/reportLookups.ts', to: 'db/queries.ts', typeOnly: false });
  });

  it('finds a circle when there is one', () => {
    const circle: ImportEdge[] = [
      { from: 'a.ts', to: 'b.ts', typeOnly: false },
      { from: 'b.ts', to: 'c.ts', typeOnly: true },
      { from: 'c.ts', to: 'a.ts', typeOnly: false },
      { from: 'c.ts', to: 'd.ts', typeOnly: false },
    ];
    expect(importCycles(circle)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no import cycle between files, type-only imports included (they are knots of the design too)', () => {
    expect(importCycles(edges)).toEqual([]);
  });
});
