import { mean, round, type SizeResult, type Targets } from './results';

export function targetsOf(sizes: SizeResult[]): Targets {
  const wallBySize = Object.fromEntries(sizes.map((s) => [s.size, s.ratios.wallSeconds]));
  // A review's history depends on its path, and an overloaded run changes the path (reminders
  // fire, tasks are retried): the fit uses the answered reviews of sizes where no liaison was late.
  const calm = sizes.filter((s) => s.ours.clientCalls.late === 0);
  const answered = (calm.length ? calm : sizes).flatMap((s) => s.reviewPoints.filter((p) => !p.silent));
  const fitAt = (ys: number[], xs: number[], x: number) => {
    const n = xs.length;
    const mx = mean(xs);
    const my = mean(ys);
    const sxx = xs.reduce((a, xi) => a + (xi - mx) ** 2, 0);
    if (n < 2 || sxx === 0) return null;
    const slope = xs.reduce((a, xi, i) => a + (xi - mx) * ((ys[i] as number) - my), 0) / sxx;
    return my + slope * (x - mx);
  };
  const xs = answered.map((p) => p.flaggedGoals);
  const fittedEvents = fitAt(answered.map((p) => p.events), xs, 40);
  const fittedBytes = fitAt(answered.map((p) => p.bytes), xs, 40);
  const nearest = [...answered].sort((a, b) => Math.abs(a.flaggedGoals - 40) - Math.abs(b.flaggedGoals - 40))[0] ?? null;
  const fitted = fittedEvents !== null && fittedBytes !== null ? { events: Math.round(fittedEvents), bytes: Math.round(fittedBytes) } : null;
  const reference = fitted ?? (nearest ? { events: nearest.events, bytes: nearest.bytes } : null);

  const byCycles = (pick: (s: SizeResult) => number) => {
    const out: Record<string, number> = {};
    for (const s of sizes) if (s.goalsPerMunicipality.every((g) => g < 1000)) out[String(s.municipalities)] = Math.max(out[String(s.municipalities)] ?? 0, pick(s));
    return out;
  };
  /** MB per added concurrent cycle between consecutive measured counts (1→20, 20→30). */
  const marginal = (values: Record<string, number>) => {
    const counts = Object.keys(values).map(Number).sort((a, b) => a - b);
    return counts.slice(1).map((to, i) => {
      const from = counts[i] as number;
      return { from, to, mbPerCycle: Math.round(((values[String(to)] as number) - (values[String(from)] as number)) / (to - from)) };
    });
  };
  const peak = byCycles((s) => s.ours.memory.peakMb);
  const worker = byCycles((s) => s.ours.memory.peakWithoutDatabasesMb);
  const exponent = (values: Record<string, number>) => {
    const one = values['1'];
    const most = Object.keys(values).map(Number).filter((n) => n > 1).sort((a, b) => b - a)[0];
    if (!one || !most) return null;
    return round(Math.log((values[String(most)] as number) / one) / Math.log(most), 2);
  };
  const steps = marginal(peak);
  // Less than linear: each further cycle costs clearly less than the earlier ones did (a fixed base
  // alone does not count: a total of base + k·n has an exponent below 1 and is still linear).
  const first = steps[0]?.mbPerCycle;
  const last = steps.at(-1)?.mbPerCycle;
  return {
    wallRatio: { target: 1.5, bySize: wallBySize, met: sizes.every((s) => s.ratios.wallSeconds <= 1.5) },
    reviewHistoryAt40Goals: {
      targetEvents: 200,
      targetBytes: 256 * 1024,
      fitted,
      nearest,
      met: reference ? reference.events < 200 && reference.bytes < 256 * 1024 : null,
    },
    memory: {
      peakRssMbByCycles: peak,
      workerRssMbByCycles: worker,
      growthExponent: exponent(peak),
      workerGrowthExponent: exponent(worker),
      marginalMbPerCycle: steps,
      workerMarginalMbPerCycle: marginal(worker),
      floorPeakRssMbByCycles: byCycles((s) => s.floor.memory.peakMb),
      floorMarginalMbPerCycle: marginal(byCycles((s) => s.floor.memory.peakMb)),
      met: steps.length < 2 || first === undefined || last === undefined ? null : last < 0.5 * first,
    },
  };
}
