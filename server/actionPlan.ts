import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Auth } from '../auth';
import { departmentFilter, requestScope } from '../auth/scope';
import { formatDate } from '../domain/format';
import { fiscalYearSchema } from '../domain/goals';
import { describeIssues } from '../domain/review';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { sendPage } from './html';
import { actionPlanPage } from './views/actionPlan';
import { refusalBody } from './views/errorPages';

/**
 * The Plan de Acción (PE_F_012): `GET /api/action-plan?year=Y&version=N` (the XLSX; latest version
 * by default), `GET /api/action-plan/versions?year=Y` (JSON) and the page /plan-de-accion?vigencia=Y.
 * Every account may read; a liaison reads only its own department's goals (auth/scope.ts).
 */
export function createActionPlanRouter({ actionPlan, plan, departments, auth, timeZone }: { actionPlan: AppServices['actionPlan']; plan: AppServices['plan']; departments: AppServices['departments']; auth: Auth; timeZone: string }) {
  const router = express.Router();

  const downloadUrl = (year: number, version: number, department: string | undefined) =>
    `/api/action-plan?year=${year}&version=${version}${department ? `&department=${encodeURIComponent(department)}` : ''}`;

  router.get('/api/action-plan/versions', auth.requireRole('viewer'), async (req, res) => {
    const query = parse(apiQuery.omit({ version: true }), req.query);
    const department = departmentFilter(requestScope(res), query.department);
    const versions = ownGoals(await actionPlan.versions(query.year), department);
    res.json({ fiscalYear: query.year, versions: versions.map((v) => ({ ...v, url: downloadUrl(query.year, v.version, department) })) });
  });

  router.get('/api/action-plan', auth.requireRole('viewer'), async (req, res) => {
    const query = parse(apiQuery, req.query);
    const file = await actionPlan.export({ fiscalYear: query.year, version: query.version, departmentCode: departmentFilter(requestScope(res), query.department), timeZone });
    res.type(file.contentType).attachment(file.fileName).send(file.content);
  });

  router.get('/plan-de-accion', auth.requireRolePage('viewer'), async (req: Request, res: Response, next: NextFunction) => {
    const options = { csrf: auth.csrfToken(req), current: '/plan-de-accion' };
    try {
      const query = parse(pageQuery, req.query);
      const department = departmentFilter(requestScope(res), query.dependencia);
      const years = await plan.programmedYears();
      const thisYear = Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(new Date()));
      const fiscalYear = query.vigencia ?? (years.includes(thisYear) ? thisYear : (years.at(-1) ?? thisYear));
      const departmentName = department ? ((await departments.names()).find((d) => d.code === department)?.name ?? department) : null;
      if (!years.includes(fiscalYear)) {
        const message = `No hay Plan de Acción para la vigencia ${fiscalYear}: no hay metas programadas para ese año${years.length ? '' : ' (importe el Plan Indicativo)'}.`;
        return sendPage(res, `Plan de Acción ${fiscalYear}`, actionPlanPage({ fiscalYear, years, department: departmentName, rows: [], message }), options, query.vigencia === undefined ? 200 : 404);
      }
      const versions = ownGoals(await actionPlan.versions(fiscalYear), department);
      const rows = [...versions].reverse().map((v) => ({
        version: v.version,
        date: v.createdAt ? formatDate(v.createdAt, timeZone) : '—',
        origin: v.reviewWorkflowId
          ? `Reprogramación ${v.reviewWorkflowId}${v.approvedBy ? ` (aprobó ${v.approvedBy})` : ''}`
          : v.version > 1
            ? 'Reprogramación de otra dependencia'
            : 'Plan Indicativo importado',
        recordNumber: v.agreementRecordNumber,
        goals: v.goalCodes.length,
        downloadUrl: downloadUrl(fiscalYear, v.version, department),
      }));
      sendPage(res, `Plan de Acción ${fiscalYear}`, actionPlanPage({ fiscalYear, years, department: departmentName, rows }), options);
    } catch (error) {
      if (!(error instanceof AppError)) return next(error);
      const title = error.httpStatus === 403 ? 'Acceso denegado' : 'Solicitud no válida';
      sendPage(res, title, refusalBody({ title, message: error.message, details: error.details, back: { href: '/tablero', label: 'Volver al tablero de control' } }), options, error.httpStatus);
    }
  });

  return router;
}

/**
 * A department's reader sees which versions exist, but of another department's only the number, date
 * and department: not its goals, review, approver or acta.
 */
const ownGoals = <V extends { departmentCode: string | null; goalCodes: string[]; reviewWorkflowId: string | null; approvedBy: string | null; agreementRecordNumber: string | null }>(
  versions: V[],
  department: string | undefined,
): V[] =>
  department
    ? versions.map((v) =>
        v.departmentCode === null || v.departmentCode === department ? v : { ...v, goalCodes: [], reviewWorkflowId: null, approvedBy: null, agreementRecordNumber: null },
      )
    : versions;

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const versionSchema = z.coerce.number({ message: 'la versión debe ser un número' }).int('la versión debe ser un número entero').min(1, 'la versión empieza en 1').max(100_000, 'versión demasiado alta');
const departmentSchema = z.string().trim().min(1).max(40, 'dependencia: código demasiado largo');

const apiQuery = z.object({
  year: fiscalYearSchema,
  version: z.preprocess(blank, versionSchema.optional()),
  department: z.preprocess(blank, departmentSchema.optional()),
});
const pageQuery = z.object({
  vigencia: z.preprocess(blank, fiscalYearSchema.optional()),
  dependencia: z.preprocess(blank, departmentSchema.optional()),
});

function parse<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new AppError('invalid_input', 'Parámetros inválidos', describeIssues(parsed.error));
  return parsed.data;
}
