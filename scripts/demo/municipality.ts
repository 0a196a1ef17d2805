import { formatNumber } from '../../domain/format';
import { DEMO_DOMAIN, MUNICIPALITY_LAST_REPORTED, MUNICIPALITY_PLAN_YEARS, MUNICIPALITY_SEED, MunicipalityData, MunicipalityDepartment, MunicipalityPlan, MunicipalityProgramming, MunicipalityProgress, QuarterlyTargets } from './municipalityData';
import { rngFor } from './random';
import { departmentCatalogue, givenNames, seasons, sectors, strategicLines, surnames, unitSteps } from './catalogue';
import { programs } from './programs';
import { GoalModel, decimalsOf, distribute, realizeYear, roundFigure, toTicks, toValue } from './quantities';
import { RowKind, Scenario2026, deliveredInT1, evidenceFor, pastPathFor, pastYearPaths, scenarios2026 } from './scenarios';

/**
 * The demo municipality loaded at first start: a mid-size Colombian municipality (Pasto, DANE 52001)
 * with 15 dependencias, ~300 product goals of a 2024–2027 Plan de Desarrollo, their programming and
 * the progress reported from 2024 T1 to 2026 T3 (the last closed quarter on 2026-11-25).
 *
 * Everything comes from a seeded PRNG (mulberry32): the same seed gives byte-identical data. The
 * 2026 T1–T3 statuses are drawn from quotas and each goal's values are checked against the domain's
 * own classification (measureGoal + classifyMeasurement with defaultThresholds), so the status mix
 * a cycle sees is the one designed here: about 55 % al día/cumplidas, 20 % atrasadas, 10 % no
 * iniciadas, 7 % sobrecumplidas and a few not evaluated, with persistent laggards and catch-ups.
 */

/** A realistic mid-size municipality for a 2024–2027 plan; the same seed gives identical data. */
export function generateMunicipality(seed: number = MUNICIPALITY_SEED): MunicipalityData {
  const plan: MunicipalityPlan = {
    name: 'Plan de Desarrollo Municipal de Pasto 2024–2027 (datos de demostración)',
    municipality: 'Pasto',
    daneCode: '52001',
    termStartYear: 2024,
    termEndYear: 2027,
  };

  // Departments, with liaisons whose names do not repeat.
  const people = rngFor(seed, 'liaisons');
  const usedNames = new Set<string>();
  const departments: MunicipalityDepartment[] = departmentCatalogue.map((d) => {
    let liaisonName = '';
    do {
      const first = people.pick(surnames);
      let second = people.pick(surnames);
      while (second === first) second = people.pick(surnames);
      liaisonName = `${people.pick(givenNames)} ${first} ${second}`;
    } while (usedNames.has(liaisonName));
    usedNames.add(liaisonName);
    return { code: d.code, name: d.name, liaisonName, liaisonEmail: `enlace.${d.mailbox}@${DEMO_DOMAIN}` };
  });

  // How many goals each product gets: one, plus variants until the target count is reached.
  const structure = rngFor(seed, 'structure');
  const entries = programs.flatMap((program) => program.products.map((product) => ({ program, product, goals: 1 })));
  const goalCount = structure.int(294, 306);
  let total = entries.length;
  while (total < goalCount) {
    // A product splits into k ≥ 2 goals, each with its own qualifier: 1 → 2 goals, then one more at a time.
    const open = entries.filter((e) => (e.goals === 1 ? e.product.variants.length >= 2 : e.goals < e.product.variants.length));
    if (open.length === 0) break;
    const entry = structure.weighted(open.map((e) => ({ weight: e.product.variants.length - e.goals + 1, value: e })));
    entry.goals += 1;
    total += 1;
  }

  // Goals and their programming.
  const models: GoalModel[] = [];
  for (const { program, product, goals: count } of entries) {
    const productCode = `${program.programCode}${product.code}`;
    const qualifiers = count === 1 ? [null] : structure.shuffle(product.variants).slice(0, count);
    qualifiers.sort((a, b) => product.variants.indexOf(a ?? '') - product.variants.indexOf(b ?? ''));
    qualifiers.forEach((qualifier, index) => {
      const code = `${productCode}-${String(index + 1).padStart(2, '0')}`;
      const r = rngFor(seed, 'goal', code);
      const step = unitSteps[product.unit];
      const decimals = decimalsOf(step);
      const model = { step, decimals };
      const finalValue = roundFigure(r.uniform(product.target[0], product.target[1]), step);
      const termTicks = toTicks(finalValue, step);
      const years = new Map<number, { annual: number; quarterly: QuarterlyTargets }>();
      if (product.accumulation === 'sum') {
        let yearWeights: number[];
        if (product.oneOff) {
          const when = r.pick([2024, 2025, 2025, 2027]);
          yearWeights = MUNICIPALITY_PLAN_YEARS.map((y) => (y === when ? 1 : 0));
        } else if (product.season === 'january') {
          yearWeights = [1, 1, 1, 1];
        } else {
          const pattern = r.pick([
            [0.15, 0.3, 0.3, 0.25],
            [0.2, 0.3, 0.3, 0.2],
            [0.1, 0.25, 0.35, 0.3],
            [0.18, 0.27, 0.28, 0.27],
          ]);
          yearWeights = pattern.map((w) => w * r.uniform(0.85, 1.15));
        }
        const annual = distribute(termTicks, yearWeights);
        // Every goal except one-off deliverables has something programmed in 2026.
        if (!product.oneOff && annual[2] === 0) {
          const largest = annual.indexOf(Math.max(...annual));
          annual[largest] = (annual[largest] ?? 0) - 1;
          annual[2] = 1;
        }
        MUNICIPALITY_PLAN_YEARS.forEach((year, i) => {
          const ticks = annual[i] ?? 0;
          // The plan is adopted by the Concejo in May 2024: little is programmed for 2024 T1.
          const weights = seasons[product.season].map((w, q) => (year === 2024 && q === 0 && product.season !== 'january' ? w * 0.2 : w));
          const [a = 0, b = 0, c = 0, d = 0] = distribute(ticks, weights);
          years.set(year, { annual: ticks, quarterly: [a, b, c, d] });
        });
      } else {
        const baselineRange = product.baseline ?? product.target;
        const baseline =
          product.accumulation === 'stock' ? termTicks : toTicks(roundFigure(r.uniform(baselineRange[0], baselineRange[1]), step), step);
        let previous = baseline;
        MUNICIPALITY_PLAN_YEARS.forEach((year, i) => {
          const progressShare = i === 3 ? 1 : Math.min(1, ((i + 1) / 4) * r.uniform(0.85, 1.1));
          const ticks = i === 3 ? termTicks : Math.round(baseline + (termTicks - baseline) * progressShare);
          const ramp = (q: number) =>
            product.accumulation === 'stock' ? ticks : q === 4 ? ticks : Math.round(previous + ((ticks - previous) * q) / 4);
          years.set(year, { annual: ticks, quarterly: [ramp(1), ramp(2), ramp(3), ramp(4)] });
          previous = ticks;
        });
      }
      const termTarget =
        product.accumulation === 'sum'
          ? toValue([...years.values()].reduce((acc, y) => acc + y.annual, 0), model)
          : toValue(termTicks, model);
      const name = `${product.goal.replace('{n}', formatNumber(termTarget))}${qualifier ? ` ${qualifier}` : ''}`;
      models.push({
        goal: {
          code,
          departmentCode: program.department,
          strategicLine: strategicLines[program.line - 1] as string,
          sectorCode: program.sectorCode,
          sector: sectors[program.sectorCode] as string,
          programCode: program.programCode,
          program: program.program,
          productCode,
          productName: product.product,
          indicatorCode: `${productCode}00`,
          name,
          indicator: product.indicator,
          unit: product.unit,
          termTarget,
          accumulation: product.accumulation,
        },
        spec: product,
        step,
        decimals,
        years,
      });
    });
  }

  // A few suma goals (not mass services, hence the size limit) rest in 2026, their share moved to
  // 2027 (biennial deliveries): with one-off deliverables they are the
  // goals not evaluated that year.
  const restRng = rngFor(seed, 'rest2026');
  const restCandidates = restRng.shuffle(
    models.filter((m) => m.goal.accumulation === 'sum' && !m.spec.oneOff && m.spec.season !== 'january' && (m.years.get(2026)?.annual ?? 0) < 2000),
  );
  const oneOffs = models.filter((m) => m.spec.oneOff).length;
  for (const model of restCandidates.slice(0, Math.max(0, Math.round(models.length * 0.03) - oneOffs))) {
    const y2026 = model.years.get(2026);
    const y2027 = model.years.get(2027);
    if (!y2026 || !y2027) continue;
    const moved = y2026.annual + y2027.annual;
    const [a = 0, b = 0, c = 0, d = 0] = distribute(moved, seasons[model.spec.season]);
    model.years.set(2027, { annual: moved, quarterly: [a, b, c, d] });
    model.years.set(2026, { annual: 0, quarterly: [0, 0, 0, 0] });
  }

  // 2026 T1–T3: fill the scenario quotas, each with a goal whose values can tell that story.
  const quotaRng = rngFor(seed, 'quotas');
  const evaluated = models.filter((m) => (m.years.get(2026)?.annual ?? 0) > 0);
  const quotas = distribute(
    evaluated.filter((m) => m.spec.season !== 'january').length,
    scenarios2026.map((s) => s.share),
  );
  const assigned = new Map<string, { scenario: Scenario2026; reported: (number | null)[] }>();
  // Deliveries tied to a date (the Carnaval, first days of January) happen: they tell no quota story.
  const order = quotaRng.shuffle(evaluated.filter((m) => m.spec.season !== 'january'));
  for (const model of evaluated.filter((m) => m.spec.season === 'january')) {
    const result = realizeYear(model, 2026, deliveredInT1.slice(0, 3), rngFor(seed, 'progress', model.goal.code, 2026), false);
    assigned.set(model.goal.code, { scenario: 'deliveredInT1', reported: result?.reported ?? [] });
  }
  const attempt = (model: GoalModel, scenario: (typeof scenarios2026)[number]) =>
    realizeYear(model, 2026, scenario.path, rngFor(seed, 'progress', model.goal.code, 2026, scenario.name), true);
  scenarios2026.forEach((scenario, index) => {
    let needed = quotas[index] ?? 0;
    for (const model of order) {
      if (needed === 0) break;
      if (assigned.has(model.goal.code)) continue;
      const result = attempt(model, scenario);
      if (result) {
        assigned.set(model.goal.code, { scenario: scenario.name, reported: result.reported });
        needed--;
      }
    }
  });
  // Whoever is left (only if some quota could not be filled) takes the first story it can tell.
  for (const model of order) {
    if (assigned.has(model.goal.code)) continue;
    const fallbackOrder = [...scenarios2026].reverse();
    for (const scenario of fallbackOrder) {
      const result = attempt(model, scenario);
      if (result) {
        assigned.set(model.goal.code, { scenario: scenario.name, reported: result.reported });
        break;
      }
    }
    if (!assigned.has(model.goal.code)) {
      const result = realizeYear(model, 2026, ['onTrack', 'onTrack', 'onTrack'], rngFor(seed, 'progress', model.goal.code, 2026), false);
      assigned.set(model.goal.code, { scenario: 'steady', reported: result?.reported ?? [] });
    }
  }

  // Progress rows: 2024 and 2025 complete, 2026 up to T3.
  const progress: MunicipalityProgress[] = [];
  for (const model of models) {
    const story = assigned.get(model.goal.code);
    const scenario = story?.scenario ?? 'none';
    for (const year of MUNICIPALITY_PLAN_YEARS) {
      if (year > MUNICIPALITY_LAST_REPORTED.fiscalYear) continue;
      let reported: (number | null)[];
      if (year === 2026) {
        reported = story?.reported ?? [];
      } else {
        const r = rngFor(seed, 'progress', model.goal.code, year);
        const path = model.spec.season === 'january' ? deliveredInT1 : pastYearPaths[pastPathFor(r, year, scenario)];
        reported = realizeYear(model, year, path, r, false)?.reported ?? [];
      }
      const evidenceRng = rngFor(seed, 'evidence', model.goal.code, year);
      const targets = model.years.get(year) ?? { annual: 0, quarterly: [0, 0, 0, 0] };
      let cumulative = 0;
      reported.forEach((ticks, i) => {
        if (ticks === null) return;
        const expectedToDate = targets.quarterly.slice(0, i + 1).reduce((a, b) => a + b, 0);
        const kind: RowKind =
          ticks > 0 ? 'progress' : cumulative >= targets.annual ? 'yearMet' : expectedToDate === 0 ? 'nothingDue' : 'pending';
        cumulative += model.goal.accumulation === 'sum' ? ticks : 0;
        progress.push({
          goalCode: model.goal.code,
          fiscalYear: year,
          quarter: i + 1,
          executed: toValue(ticks, model),
          evidence: evidenceFor(evidenceRng, model.goal, year, i + 1, kind),
        });
      });
    }
  }

  const programming: MunicipalityProgramming[] = models.flatMap((model) =>
    MUNICIPALITY_PLAN_YEARS.map((fiscalYear) => {
      const y = model.years.get(fiscalYear) ?? { annual: 0, quarterly: [0, 0, 0, 0] as QuarterlyTargets };
      const [a = 0, b = 0, c = 0, d = 0] = y.quarterly.map((v) => toValue(v, model));
      return { goalCode: model.goal.code, fiscalYear, annualTarget: toValue(y.annual, model), quarterlyTargets: [a, b, c, d] };
    }),
  );

  return { plan, departments, goals: models.map((m) => m.goal), programming, progress };
}
