import { html, multiline, type SafeHtml } from '../../domain/html';
import { accumulationLabels, type AccumulationType, type GoalStatus, type Quarter } from '../../domain/goals';
import { goalStateLabels, type GoalState } from '../../machines/goalStatus';
import { cycleTitle, formatNumber, formatShare, percentToShare } from '../../domain/format';
import { workflowTitle } from '../../domain/workflowIds';
import { statusBadge } from './dashboard';
import type { GoalHistory } from '../../services/goalHistory';
import { scrollRegion } from './scrollRegion';

// A goal's record: identity, programming versions, progress per quarter (chart and table), classifications, reviews.

export interface GoalPageOptions {
  when: (iso: string) => string;
  isAdmin: boolean;
  /** The cycle and period a review belongs to, read from its workflow ID. */
  reviewPeriod: (reviewWorkflowId: string) => { cycleWorkflowId: string; year: number; quarter: number; department: string } | null;
}

// -----------------------------------------------------------------------------------

interface QuarterPoint {
  year: number;
  quarter: Quarter;
  programmed: number | null;
  executed: number | null;
  /** How many times the quarter's progress was reported (corrections add versions). */
  reports: number;
  status: GoalStatus | null;
  cycleWorkflowId: string | null;
}

/** Per quarter of every year with programming or progress: the current programming and the latest report. */
function quarterPoints(history: GoalHistory): QuarterPoint[] {
  const latestProgramming = new Map<number, GoalHistory['programming'][number]>();
  for (const v of history.programming) latestProgramming.set(v.fiscalYear, v); // oldest first: the last one wins
  const progress = new Map<string, { executed: number; reports: number }>();
  for (const p of history.progress) {
    const key = `${p.fiscalYear}-${p.quarter}`;
    progress.set(key, { executed: p.executed, reports: (progress.get(key)?.reports ?? 0) + 1 });
  }
  const statuses = new Map(history.statuses.map((s) => [`${s.fiscalYear}-${s.quarter}`, s]));
  const years = [...new Set([...history.programming.map((v) => v.fiscalYear), ...history.progress.map((p) => p.fiscalYear)])].sort((a, b) => a - b);
  return years.flatMap((year) =>
    ([1, 2, 3, 4] as const).map((quarter) => {
      const key = `${year}-${quarter}`;
      const status = statuses.get(key);
      return {
        year,
        quarter,
        programmed: latestProgramming.get(year)?.quarterlyTargets?.[quarter - 1] ?? null,
        executed: progress.get(key)?.executed ?? null,
        reports: progress.get(key)?.reports ?? 0,
        status: status?.status ?? null,
        cycleWorkflowId: status?.cycleWorkflowId ?? null,
      };
    }),
  );
}

/** A step of 1, 2 or 5 × 10^n that divides the axis into about four parts. */
function niceStep(max: number): number {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough);
  return step ?? 10 * magnitude;
}

/**
 * Programmed (outlined bars) against executed (filled bars) per quarter, drawn on the server: no
 * script, and the shapes differ, not only the colours. The title and description are the text
 * alternative; the data table after the chart has every value.
 */
function progressChartSvg(points: QuarterPoint[], goalCode: string): SafeHtml {
  const values = points.flatMap((p) => [p.programmed, p.executed]).filter((v): v is number => v !== null && Number.isFinite(v));
  const top = Math.max(0, ...values);
  const step = top > 0 ? niceStep(top) : 1;
  const axisMax = top > 0 ? Math.ceil(top / step) * step : 4;
  const group = 40;
  const bar = 14;
  const left = 64;
  const plotTop = 28;
  const plotHeight = 160;
  const width = left + points.length * group + 16;
  const height = plotTop + plotHeight + 44;
  const y = (v: number) => plotTop + plotHeight - (Math.max(0, v) / axisMax) * plotHeight;
  const n = (v: number) => Number(v.toFixed(2));

  const ticks: SafeHtml[] = [];
  for (let v = 0; v <= axisMax + step / 2; v += step) {
    ticks.push(
      html`<line x1="${left}" x2="${width - 8}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="#d0d0d0"/><text x="${left - 6}" y="${n(y(v) + 4)}" text-anchor="end">${formatNumber(v)}</text>`,
    );
  }
  const bars = points.map((p, i) => {
    const x = left + i * group + (group - 2 * bar - 2) / 2;
    const programmed =
      p.programmed === null
        ? ''
        : html`<rect x="${n(x)}" y="${n(y(p.programmed))}" width="${bar}" height="${n(plotTop + plotHeight - y(p.programmed))}" fill="#ffffff" stroke="#3d3d3d" stroke-width="1.5"/>`;
    const executed =
      p.executed === null
        ? ''
        : html`<rect x="${n(x + bar + 2)}" y="${n(y(p.executed))}" width="${bar}" height="${n(plotTop + plotHeight - y(p.executed))}" fill="#0b4f8a"/>`;
    return html`${programmed}${executed}<text x="${n(left + i * group + group / 2)}" y="${plotTop + plotHeight + 14}" text-anchor="middle">T${p.quarter}</text>`;
  });
  const years = [...new Set(points.map((p) => p.year))].map((year) => {
    const first = points.findIndex((p) => p.year === year);
    const count = points.filter((p) => p.year === year).length;
    const x0 = left + first * group;
    return html`<text x="${n(x0 + (count * group) / 2)}" y="${plotTop + plotHeight + 30}" text-anchor="middle" font-weight="600">${year}</text>${
      first > 0 ? html`<line x1="${x0}" x2="${x0}" y1="${plotTop}" y2="${plotTop + plotHeight + 34}" stroke="#8c8c8c"/>` : ''
    }`;
  });
  const id = `grafico-${goalCode.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const described = points
    .map((p) => `${p.year} T${p.quarter}: programado ${formatNumber(p.programmed)}, ejecutado ${formatNumber(p.executed)}`)
    .join('; ');
  return html`<svg role="img" aria-labelledby="${id}-titulo ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11" fill="#1a1a1a">
<title id="${id}-titulo">Programado y ejecutado por trimestre de la meta ${goalCode}</title>
<desc id="${id}-desc">Barras con contorno: programado; barras rellenas: ejecutado. ${described}. Los mismos valores están en la tabla que sigue al gráfico.</desc>
<rect x="${left}" y="4" width="12" height="12" fill="#ffffff" stroke="#3d3d3d" stroke-width="1.5"/><text x="${left + 16}" y="14">Programado</text>
<rect x="${left + 100}" y="4" width="12" height="12" fill="#0b4f8a"/><text x="${left + 116}" y="14">Ejecutado</text>
${ticks}${bars}${years}
<line x1="${left}" x2="${width - 8}" y1="${plotTop + plotHeight}" y2="${plotTop + plotHeight}" stroke="#1a1a1a"/>
</svg>`;
}

const answerActionLabels: Record<string, string> = { reprogram: 'Reprogramar', keep: 'Mantener la programación con compromiso' };
const stateLabel = (state: string | null | undefined) => (state ? (goalStateLabels[state as GoalState] ?? state) : '—');
const targets = (values: readonly (number | null)[] | null | undefined) => (values ? values.map((v) => formatNumber(v)).join(' · ') : '—');

/** What a goal without an imported línea base is measured from (domain/measurement.ts). */
const baselineDefault = (accumulation: AccumulationType) =>
  accumulation === 'reduction' || accumulation === 'annualReduction'
    ? 'No importada: se mide desde el primer valor reportado en el cuatrienio'
    : accumulation === 'stock'
      ? 'No importada: se mide desde 0'
      : 'No aplica a este tipo de acumulación';

/** The official meta cuatrienio, with the Acuerdos del Concejo that changed it (each a version). */
function termTargetWords(goal: GoalHistory['goal']): SafeHtml | string {
  const agreements = goal.termTargetAgreements ?? [];
  if (!agreements.length) return `${formatNumber(goal.termTarget)} ${goal.unit}`;
  return html`${formatNumber(goal.officialTermTarget)} ${goal.unit}<ul class="term-target-versions">${agreements.map(
    (a) => html`<li>Versión ${a.version}: de ${formatNumber(a.previousTermTarget)} a ${formatNumber(a.termTarget)} por el <a href="/concejo/${a.id}/pdf">${a.label}</a></li>`,
  )}</ul>Plan Indicativo: ${formatNumber(goal.termTarget)}`;
}

function identity(goal: GoalHistory['goal']): SafeHtml {
  const row = (label: string, value: SafeHtml | string) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
  return html`<table class="identity"><caption class="visually-hidden">Datos de la meta</caption><tbody>
${row('Código', goal.code)}
${row('Nombre', goal.name)}
${row('Dependencia', `${goal.departmentName} (${goal.departmentCode})`)}
${row('Línea estratégica', goal.strategicLine)}
${row('Programa', goal.programCode && !goal.program.startsWith(goal.programCode) ? `${goal.programCode} ${goal.program}` : goal.program)}
${goal.productName ? row('Producto', goal.productCode ? `${goal.productCode} ${goal.productName}` : goal.productName) : ''}
${row('Indicador', goal.indicator)}
${row('Unidad', goal.unit)}
${row('Meta del cuatrienio', termTargetWords(goal))}
${row('Tipo de acumulación', accumulationLabels[goal.accumulation])}
${row('Línea base', goal.baseline === null ? baselineDefault(goal.accumulation) : `${formatNumber(goal.baseline)} ${goal.unit}`)}
${row('En el plan', goal.active ? 'Activa' : 'Retirada del Plan Indicativo (su historia se conserva)')}
</tbody></table>`;
}

function programmingTable(history: GoalHistory, when: (iso: string) => string): SafeHtml {
  if (!history.programming.length) return html`<p>La meta no tiene programación registrada.</p>`;
  const latestVersion = new Map<number, number>();
  for (const v of history.programming) latestVersion.set(v.fiscalYear, Math.max(latestVersion.get(v.fiscalYear) ?? 0, v.version));
  return html`${scrollRegion('Versiones de la programación', html`<table class="versions"><caption>Cada versión de la programación, de la más antigua a la más reciente por vigencia</caption>
<thead><tr><th scope="col">Vigencia</th><th scope="col">Versión</th><th scope="col" class="num">Programación anual</th><th scope="col" class="num">T1</th><th scope="col" class="num">T2</th><th scope="col" class="num">T3</th><th scope="col" class="num">T4</th><th scope="col">Motivo</th><th scope="col">Registrada por</th><th scope="col">Fecha</th></tr></thead>
<tbody>${history.programming.map((v) => {
    const q = v.quarterlyTargets ?? [null, null, null, null];
    const reprogramming = v.reprogramming
      ? html`<br><small>Reprogramación aprobada por ${v.reprogramming.approvedBy} en la <a href="#${reviewAnchor(v.reprogramming.reviewWorkflowId)}">${workflowTitle(v.reprogramming.reviewWorkflowId)}</a>${
          v.reprogramming.councilAgreement ? ` · Acuerdo del Concejo ${v.reprogramming.councilAgreement}` : ''
        }</small>`
      : '';
    const current = latestVersion.get(v.fiscalYear) === v.version ? html` <small>(vigente)</small>` : '';
    return html`<tr data-version="${v.fiscalYear}-${v.version}"><td>${v.fiscalYear}</td><td>v${v.version}${current}</td><td class="num">${formatNumber(v.annualTarget)}</td>${q.map(
      (value) => html`<td class="num">${formatNumber(value)}</td>`,
    )}<td>${v.reason}${reprogramming}</td><td>${v.createdBy}</td><td>${when(v.createdAt)}</td></tr>`;
  })}</tbody></table>`)}`;
}

function progressSection(history: GoalHistory, when: (iso: string) => string): SafeHtml {
  const points = quarterPoints(history);
  if (!points.length) return html`<p>Sin programación ni avance registrados.</p>`;
  const table = html`${scrollRegion('Programado y ejecutado por trimestre', html`<table class="progress"><caption>Datos del gráfico: programado (versión vigente) y ejecutado (último reporte) por trimestre</caption>
<thead><tr><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col" class="num">Programado</th><th scope="col" class="num">Ejecutado</th><th scope="col">Reportes</th><th scope="col">Estado en el ciclo</th></tr></thead>
<tbody>${points.map(
    (p) =>
      html`<tr><td>${p.year}</td><td>T${p.quarter}</td><td class="num">${formatNumber(p.programmed)}</td><td class="num">${formatNumber(p.executed)}</td><td>${
        p.reports === 0 ? 'sin reporte' : p.reports === 1 ? '1 reporte' : `${p.reports} reportes (con correcciones)`
      }</td><td>${
        p.status && p.cycleWorkflowId ? html`${statusBadge(p.status)} <a href="/ciclos/${encodeURIComponent(p.cycleWorkflowId)}">${workflowTitle(p.cycleWorkflowId)}</a>` : 'sin ciclo'
      }</td></tr>`,
  )}</tbody></table>`)}`;
  const reports = history.progress.length
    ? html`<details><summary>Todos los reportes de avance (${history.progress.length})</summary>${scrollRegion('Todos los reportes de avance', html`<table><thead><tr><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col">Versión</th><th scope="col" class="num">Ejecutado</th><th scope="col">Evidencia</th><th scope="col">Reportado por</th><th scope="col">Fecha</th></tr></thead><tbody>${history.progress.map(
        (p) =>
          html`<tr><td>${p.fiscalYear}</td><td>T${p.quarter}</td><td>v${p.version}</td><td class="num">${formatNumber(p.executed)}</td><td>${p.evidence ?? '—'}</td><td>${p.reportedBy}</td><td>${when(p.createdAt)}</td></tr>`,
      )}</tbody></table>`)}</details>`
    : '';
  return html`<figure class="chart">${progressChartSvg(points, history.goal.code)}<figcaption>Barras con contorno: programado en el trimestre; barras rellenas: ejecutado reportado. Valores en ${history.goal.unit}.</figcaption></figure>
${table}${reports}`;
}

function classificationTable(history: GoalHistory): SafeHtml {
  if (!history.statuses.length) return html`<p>La meta aún no ha sido clasificada por un ciclo de revisión.</p>`;
  return html`${scrollRegion('Clasificación guardada por cada ciclo', html`<table><caption>Clasificación guardada por cada ciclo (valores acumulados a la fecha de corte)</caption>
<thead><tr><th scope="col">Ciclo</th><th scope="col" class="num">Esperado a la fecha</th><th scope="col" class="num">Ejecutado a la fecha</th><th scope="col" class="num">Avance</th><th scope="col" class="num">Avance de la vigencia</th><th scope="col" class="num">Avance del cuatrienio</th><th scope="col">Estado</th><th scope="col">Programación vigente en el ciclo</th></tr></thead>
<tbody>${history.statuses.map(
    (s) =>
      html`<tr><td><a href="/ciclos/${encodeURIComponent(s.cycleWorkflowId)}">${cycleTitle(s.fiscalYear, s.quarter)}</a></td><td class="num">${formatNumber(
        s.measurement?.expectedToDate ?? null,
      )}</td><td class="num">${formatNumber(s.measurement?.executedToDate ?? null)}</td><td class="num">${formatShare(
        percentToShare(s.measurement?.progressPercent ?? null),
      )}</td><td class="num">${formatShare(percentToShare(s.measurement?.annualPercent ?? null))}</td><td class="num">${formatShare(
        percentToShare(s.measurement?.termPercent ?? null),
      )}</td><td>${s.status ? statusBadge(s.status) : 'Sin clasificar'}</td><td>${recordedProgramming(s.programming)}</td></tr>`,
  )}</tbody></table>`)}`;
}

/** The programming a verdict was made with; older dashboards did not keep it. */
function recordedProgramming(programming: GoalHistory['statuses'][number]['programming']): string {
  if (!programming) return 'No registrada (ciclo anterior a este registro)';
  const quarters = programming.quarterlyTargets?.map((v, i) => `T${i + 1} ${formatNumber(v)}`).join(' · ');
  return `Año ${formatNumber(programming.annualTarget)}${quarters ? ` (${quarters})` : ''}`;
}

/** A cycle's or review's title ("Revisión trimestral 2026 · T3"); the ID when it is none of ours. */

const reviewAnchor = (reviewWorkflowId: string) => `revision-${reviewWorkflowId.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function reviewsSection(history: GoalHistory, { when, isAdmin, reviewPeriod }: GoalPageOptions): SafeHtml {
  if (!history.reviews.length) return html`<p>La meta no ha pasado por revisiones de dependencia.</p>`;
  return html`${history.reviews.map((review) => {
    const period = reviewPeriod(review.reviewWorkflowId);
    const last = review.states.at(-1);
    const answer = review.answer;
    const answerBlock = answer
      ? html`<table class="answer"><caption>Respuesta de la dependencia</caption><tbody>
<tr><th scope="row">Acción</th><td>${answerActionLabels[answer.action] ?? answer.action}</td></tr>
<tr><th scope="row">Justificación</th><td>${multiline(answer.justification)}</td></tr>
<tr><th scope="row">Compromiso</th><td>${multiline(answer.commitment)}</td></tr>
${
  answer.action === 'reprogram'
    ? html`<tr><th scope="row">Nueva programación trimestral</th><td>${targets(answer.newQuarterlyTargets)}</td></tr>${
        answer.futureAnnualTargets && Object.keys(answer.futureAnnualTargets).length
          ? html`<tr><th scope="row">Traslado a vigencias siguientes</th><td>${Object.entries(answer.futureAnnualTargets)
              .map(([year, value]) => `${year}: ${formatNumber(value)}`)
              .join(' · ')}</td></tr>`
          : ''
      }${answer.councilAgreement ? html`<tr><th scope="row">Acuerdo del Concejo</th><td>${answer.councilAgreement}</td></tr>` : ''}`
    : ''
}
</tbody></table>`
      : html`<p>Sin respuesta de la dependencia.</p>`;
    return html`<section class="review" id="${reviewAnchor(review.reviewWorkflowId)}" aria-labelledby="${reviewAnchor(review.reviewWorkflowId)}-h">
<h3 id="${reviewAnchor(review.reviewWorkflowId)}-h">${period ? cycleTitle(period.year, period.quarter) : review.reviewWorkflowId}</h3>
<p>${
      period ? html`Ciclo: <a href="/ciclos/${encodeURIComponent(period.cycleWorkflowId)}">${period.cycleWorkflowId}</a>` : ''
    }${isAdmin ? html` · Flujo de la revisión: <a href="/admin/flujos/${encodeURIComponent(review.reviewWorkflowId)}">${review.reviewWorkflowId}</a>` : ''}</p>
<p>Estado de la meta: <strong>${stateLabel(last?.state)}</strong>${review.outcome ? ` · Resultado de la revisión de la dependencia: ${stateLabel(review.outcome)}` : ''}</p>
${answerBlock}
<details><summary>Estados por los que pasó la meta (${review.states.length})</summary><ol>${review.states.map(
      (s) => html`<li>${stateLabel(s.state)} <small>(${when(s.at)})</small></li>`,
    )}</ol></details>
</section>`;
  })}`;
}

export function goalPage(history: GoalHistory, options: GoalPageOptions): SafeHtml {
  const { goal } = history;
  return html`<p><a href="/tablero">← Tablero de control</a></p>
<h1>Meta ${goal.code}: ${goal.name}</h1>
${identity(goal)}
<h2>Versiones de la programación</h2>
${programmingTable(history, options.when)}
<h2>Avance por trimestre</h2>
${progressSection(history, options.when)}
<h2>Clasificación en cada ciclo</h2>
${classificationTable(history)}
<h2>Revisiones</h2>
${reviewsSection(history, options)}`;
}
