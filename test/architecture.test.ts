import fs from 'node:fs';
import path from 'node:path';
import { architectureDot, readLayers } from '../scripts/architecture';

const root = path.join(__dirname, '..');

describe('the layers picture (docs/architecture.svg, npm run architecture)', () => {
  test('is drawn from the code as it is now: regenerate it with npm run architecture when this fails', async () => {
    const layers = readLayers();
    const dot = architectureDot(layers, root);
    expect(fs.readFileSync(path.join(root, 'docs', 'architecture.dot'), 'utf8')).toBe(dot);
    const svg = fs.readFileSync(path.join(root, 'docs', 'architecture.svg'), 'utf8');
    for (const part of Object.keys(layers.parts).filter((p) => p !== 'Scripts')) expect(svg).toContain(`>${part}</text>`);
  });

  test('draws no forbidden arrow, and would draw one in red', async () => {
    const layers = readLayers();
    expect(architectureDot(layers, root)).not.toContain('#c62828", fontcolor');
    // An arrow the code has (Workflows -> Machines), were it forbidden, is drawn in red.
    const withKnot = { ...layers, never: [...layers.never, ['Workflows', 'Machines', 'test'] as [string, string, string]] };
    expect(architectureDot(withKnot, root)).toMatch(/"Workflows" -> "Machines" \[label="\d+", color="#c62828"/);
  });
});
