import { z } from 'zod';
import { describeIssues } from '../domain/review';
import { cycleTitle } from '../domain/format';
import { createAppServices } from '../services/appServices';
import { createHarness, createTestApp, eventually, reviewIn, type Harness, type TestApp } from './support/harness';

/** The monitor's rows: department name, badge class and text, and the deadline cell. */
function monitorRows(page: string) {
  const rows = [...page.matchAll(/<tr><th scope="row">([^<]+)(?:<br><small>[^<]*<\/small>)?<\/th><td><span class="badge state-(\w+)">([^<]+)<\/span>.*?<\/td><td>(.*?)<\/td>/g)];
  return rows.map(([, department, family, label, deadline]) => ({ department, family, label, deadline }));
}

describe('describeIssues names each field once, as the person sees it', () => {
  it('uses the label and drops a repeated field name', () => {
    const schema = z.object({ plazo: z.string().min(3, 'plazo: indique los días hábiles'), anio: z.number({ message: 'elija un año de la lista' }) });
    const result = schema.safeParse({ plazo: '', anio: 'x' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(describeIssues(result.error, { plazo: 'Plazo de respuesta', anio: 'Vigencia' })).toEqual([
      'Plazo de respuesta: indique los días hábiles',
      'Vigencia: elija un año de la lista',
    ]);
    expect(describeIssues(result.error)).toEqual(['plazo: indique los días hábiles', 'anio: elija un año de la lista']);
  });

  it("says zod's own messages in Spanish", () => {
    const result = z.object({ cantidad: z.number() }).safeParse({ cantidad: 'x' });
    expect(result.success ? [] : describeIssues(result.error, { cantidad: 'Cantidad' })).toEqual([expect.stringMatching(/^Cantidad: Entrada inválida/)]);
  });
});

describe('the cycle monitor and the start form, as the office reads them', () => {
  let h: Harness;
  let web: TestApp;
  beforeAll(async () => {
    h = await createHarness({ defaultWindow: '10m' });
    web = await createTestApp(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('proposes the latest quarter with reported progress and asks business days as a number', async () => {
    const year = h.fiscalYear;
    const reported = await createAppServices(h.database.db).reports.latestReportedQuarters();
    const quarter = reported.get(year);
    expect(quarter).toBeDefined();
    const operator = await web.as('operator');
    const form = (await operator.get('/ciclos/nuevo').expect(200)).text;
    expect(form).toContain(`<option value="${year}" selected>${year}</option>`);
    expect(form).toContain(`<option value="${quarter}" selected>T${quarter}</option>`);
    expect(form).toMatch(/<input id="plazo" name="plazo" value="10" inputmode="numeric"/);

    const preview = (await operator.get(`/ciclos/nuevo?anio=${year}&trimestre=2&plazo=7`).expect(200)).text;
    expect(preview).toContain('Plazo de respuesta: 7 días hábiles.');
    expect(preview).toContain(`Vista previa: ${cycleTitle(year, 2)}`);
    expect(preview).toContain('<input type="hidden" name="plazo" value="7d">');
  });

  it('refuses a start with messages that name the fields in Spanish, without paths', async () => {
    const operator = await web.as('operator');
    const refused = await operator.get('/ciclos/nuevo?anio=dos-mil&trimestre=9&plazo=diez').expect(400);
    expect(refused.text).toContain('Vigencia: elija un año de la lista');
    expect(refused.text).toContain('Trimestre: elija un trimestre de T1 a T4');
    expect(refused.text).toContain('Plazo de respuesta: escriba un número de días hábiles mayor que cero');
    expect(refused.text).not.toMatch(/anio:|trimestre:|plazo:|Invalid input/);
    const posted = await operator.post('/ciclos').type('form').send({ anio: 'x', trimestre: 2, plazo: '0' });
    expect(posted.status).toBe(400);
    expect(posted.text).toContain('Vigencia: elija un año de la lista');
    expect(posted.text).toContain('Plazo de respuesta:');
    expect(posted.text).not.toMatch(/anio:|plazo: plazo|Invalid input/);
  });

  it('shows coloured badges, one actions menu per row, filters and sorts by query string, and names people', async () => {
    const year = h.fiscalYear;
    const cycleId = `revision-${year}-T2`;
    const operator = await web.as('operator');
    const started = await operator.post('/ciclos').type('form').send({ anio: year, trimestre: 2, plazo: '7' });
    expect(started.status).toBe(303);
    // Right after starting, before or after the cycle is recorded: the starter's name, never a dash or an account ID.
    const first = (await operator.get(String(started.headers.location)).expect(200)).text;
    expect(first).toContain(`<h1>${cycleTitle(year, 2)}</h1>`);
    expect(first).toMatch(/iniciado por Cuenta operator el/);
    expect(first).not.toContain('user:');

    const api = await eventually(async () => {
      const body = (await operator.get(`/api/cycles/${cycleId}/monitor`)).body as { reviews: { departmentCode: string; departmentName: string; state: string }[] };
      return body.reviews.length >= 2 && body.reviews.every((r) => r.state === 'awaitingResponse') ? body : undefined;
    }, { what: 'every review awaiting its response' });
    const names = api.reviews.map((r) => r.departmentName).sort(new Intl.Collator('es-CO').compare);
    const firstDepartment = api.reviews.find((r) => r.departmentName === names[0])!;
    const cancelled = await operator
      .post(`/ciclos/${cycleId}/revisiones/${cycleId}-${firstDepartment.departmentCode}/cancelacion`)
      .type('form')
      .send({ motivo: 'La dependencia se fusionó con otra secretaría' });
    expect(cancelled.status).toBe(303);
    await reviewIn(h, `${cycleId}-${firstDepartment.departmentCode}`, 'cancelled');

    const coordinator = await web.as('coordinator');
    const page = await eventually(async () => {
      const text = (await coordinator.get(`/ciclos/${cycleId}`)).text;
      return monitorRows(text).some((r) => r.family === 'cancelled') ? text : undefined;
    }, { what: 'the cancelled review on the monitor' });
    const rows = monitorRows(page);
    expect(rows.map((r) => r.department)).toEqual(names);
    expect(rows[0]).toMatchObject({ family: 'cancelled', label: 'Cancelada' });
    expect(rows[0]?.deadline).toContain('Cerrada el');
    for (const row of rows.slice(1)) {
      expect(row).toMatchObject({ family: 'waiting', label: 'Esperando respuesta' });
      expect(row.deadline).toMatch(/Quedan \d+ días/);
    }
    // One menu per row; "Reenviar alerta" lives inside it, not as a button of its own.
    expect(page.match(/<details class="actions-menu">/g)?.length).toBe(rows.length - 1);
    expect(page).toMatch(/<details class="actions-menu"><summary>Acciones<span class="visually-hidden"> de [^<]+<\/span><\/summary><ul>.*Reenviar alerta/);
    expect(page).not.toContain('class="secondary">Reenviar alerta');
    // The workflow IDs stay for administrators only.
    expect(page).not.toContain(`<small>${cycleId}-`);
    expect(page).toContain('iniciado por Cuenta operator el');

    const waitingOnly = monitorRows((await coordinator.get(`/ciclos/${cycleId}?estado=esperando`)).text);
    expect(waitingOnly.map((r) => r.department)).toEqual(names.slice(1));
    const cancelledOnly = monitorRows((await coordinator.get(`/ciclos/${cycleId}?estado=cancelada`)).text);
    expect(cancelledOnly.map((r) => r.department)).toEqual([names[0]]);
    const oneDepartment = await coordinator.get(`/ciclos/${cycleId}?dependencia=${api.reviews[1]!.departmentCode}`);
    expect(monitorRows(oneDepartment.text).map((r) => r.department)).toEqual([api.reviews[1]!.departmentName]);
    expect(oneDepartment.text).toContain(`data-refresh="/ciclos/${cycleId}/estado?dependencia=${api.reviews[1]!.departmentCode}"`);
    // By deadline: the waiting reviews first, the closed one last.
    const byDeadline = monitorRows((await coordinator.get(`/ciclos/${cycleId}?orden=plazo`)).text);
    expect(byDeadline.map((r) => r.department)).toEqual([...names.slice(1), names[0]]);
    const fragment = (await coordinator.get(`/ciclos/${cycleId}/estado?estado=cancelada`)).text;
    expect(monitorRows(fragment).map((r) => r.department)).toEqual([names[0]]);
    expect((await coordinator.get(`/ciclos/${cycleId}?estado=ninguno&orden=raro`)).status).toBe(200);

    // The cycle list names the cycle by its title.
    const list = (await operator.get('/')).text;
    expect(list).toContain(`<a href="/ciclos/${cycleId}">${cycleTitle(year, 2)}</a>`);
    expect(list).toContain('7 días hábiles');

    // The audit log names people and says what happened; the raw record is folded away.
    const audit = (await web.admin.get(`/admin/auditoria?sujeto=${cycleId}&accion=cycle.started`).expect(200)).text;
    expect(audit).toContain('<td>Cuenta operator</td><td>Inició el ciclo</td>');
    expect(audit).toContain(`<td>${cycleTitle(year, 2)}</td>`);
    expect(audit).toContain('<summary>Registro completo</summary>');
    const posts = (await web.admin.get('/admin/auditoria?accion=http.post').expect(200)).text;
    expect(posts).toContain('<td>Cuenta operator</td><td>Envió un formulario o una solicitud</td>');
    expect(posts).not.toMatch(/<td>user:\d+<\/td>/);
  });

  it("names the people who changed a department's record, not their account IDs", async () => {
    const operator = await web.as('operator');
    await operator.patch('/api/departments/SEDU').send({ liaisonName: 'Ana Lucía Rosero Díaz', reason: 'Corrección del nombre del enlace' }).expect(200);
    const page = (await (await web.as('viewer')).get('/dependencias/SEDU').expect(200)).text;
    expect(page).toContain('<td>Cuenta operator</td><td>Corrección del nombre del enlace</td>');
    expect(page).not.toMatch(/<td>user:\d+<\/td>/);
  });

  it('shows a closed review with its outcome and closing date, no stale deadline, and its constancia for every reader', async () => {
    const year = h.fiscalYear;
    const cycleId = `revision-${year}-T1`;
    const operator = await web.as('operator');
    expect((await operator.post('/ciclos').type('form').send({ anio: year, trimestre: 1, plazo: '8s' })).status).toBe(303);
    const viewer = await web.as('viewer');
    const page = await eventually(async () => {
      const text = (await viewer.get(`/ciclos/${cycleId}`)).text;
      const rows = monitorRows(text);
      return rows.length > 0 && rows.every((r) => r.family === 'noAdjustment') && text.includes('Constancia de negativa de ajustes (PDF)') ? text : undefined;
    }, { what: 'every review closed with its constancia', timeoutMs: 120_000 });
    for (const row of monitorRows(page)) {
      expect(row.label).toBe('Negativa registrada');
      expect(row.deadline).toMatch(/^<small>Cerrada el<\/small><br>/);
      expect(row.deadline).not.toMatch(/Quedan|vencido/);
    }
    expect(page).toMatch(/<a href="\/api\/documents\/\d+" download="[^"]+">Constancia de negativa de ajustes \(PDF\)<\/a>/);
    expect(page).not.toContain('class="actions-menu"');
  });
});
