import type { Database } from '../db/client';
import { programmedYears } from '../db/queries';
import { authenticate, createApiToken, createUser, exportPersonalData, listApiTokens, removePersonalData, revokeApiToken } from '../auth';
import { bootstrapOpen, createFirstAdministrator } from '../auth/bootstrap';
import { readDocumentInScope } from '../auth/scope';
import { createImportUploads, importIndicativePlan, importProgressReport, runImport } from '../imports';
import { outboxMessage, readOutbox } from '../mail';
import { actionPlanVersions, exportActionPlan, exportMatrix, exportDashboard, loadQuarterReport } from '../reports';
import { readAuditLog, recordAudit } from './audit';
import { councilAgreementChoices, councilAgreementPdf, goalsWithTermTargets, goalTermTargetVersions, listCouncilAgreements, readCouncilAgreement, registerCouncilAgreement } from './councilAgreements';
import { dataVersion } from './dataVersion';
import { createDepartment, departmentWithVersions, listDepartments, updateDepartment } from './departments';
import { goalHistory } from './goalHistory';
import { listLateResponses, readLateResponse, recordedReview, recordLateResponse, reviewsWithLateResponses } from './lateResponses';
import { municipalityName, readIdentity, saveIdentity } from './municipality';
import { actorNames } from './people';
import { listRecordFormats, recordFormatVersions, saveRecordFormat } from './recordFormats';
import { currentBrand, currentColors, currentEscudo, escudoVersion, removeEscudo, saveColors, saveEscudo } from './municipalityBranding';
import { planThresholds, setPlanThresholds } from './plan';
import { currentSigningCertificate, removeSigningCertificate, saveSigningCertificate, signingCertificateVersions } from './signingCertificate';
import { consolidationCommitmentsOf, consolidationGoals } from '../db/verdicts';
import {
  cycleRecordsReader,
  departmentAlerts,
  departmentNames,
  latestReportedQuarters,
  goalDescriptions,
  lastRespondentName,
  latestResponseDraft,
  pingDatabase,
  recentCycles,
  reportDataSignature,
  reviewClosure,
  reviewDocuments,
  departmentReviewList,
  latestResponseTimes,
  reviewIdsInStates,
  saveResponseDraft,
  storedReview,
} from './readModels';

type WithoutDatabase<F> = F extends (db: never, ...args: infer A) => infer R ? (...args: A) => R : never;

/** The same functions with the database given once. */
function withDatabase<T extends Record<string, (db: Database, ...args: never[]) => unknown>>(db: Database, functions: T): { [K in keyof T]: WithoutDatabase<T[K]> } {
  return Object.fromEntries(
    Object.entries(functions).map(([name, fn]) => [name, (...args: never[]) => fn(db, ...args)]),
  ) as { [K in keyof T]: WithoutDatabase<T[K]> };
}

/**
 * What the web app reads and writes, built once by the composition root (temporal/runtime.ts, or a
 * test) over one database: server/ calls these and never sees the database, its schema or SQL.
 */
export function createAppServices(db: Database, { appSecret }: { appSecret?: string } = {}) {
  return {
    accounts: withDatabase(db, { bootstrapOpen, createFirstAdministrator, createUser, authenticate, exportPersonalData, removePersonalData }),
    apiTokens: withDatabase(db, { create: createApiToken, list: listApiTokens, revoke: revokeApiToken }),
    audit: withDatabase(db, { record: recordAudit, read: readAuditLog }),
    people: withDatabase(db, { names: actorNames }),
    outbox: withDatabase(db, { list: readOutbox, message: outboxMessage }),
    documents: withDatabase(db, { ofReview: reviewDocuments, readInScope: readDocumentInScope }),
    departments: withDatabase(db, {
      list: listDepartments,
      names: departmentNames,
      withVersions: departmentWithVersions,
      alerts: departmentAlerts,
      create: createDepartment,
      update: updateDepartment,
    }),
    municipality: withDatabase(db, { readIdentity, saveIdentity, name: municipalityName }),
    /** The escudo and colours (records read `currentEscudo`: bytes and media type of the one in use). */
    branding: withDatabase(db, { brand: currentBrand, colors: currentColors, saveColors, currentEscudo, escudoVersion, saveEscudo, removeEscudo }),
    /** The certificate that signs the PDF records (its passphrase is sealed with APP_SECRET). */
    signing: {
      ...withDatabase(db, { current: currentSigningCertificate, versions: signingCertificateVersions, remove: removeSigningCertificate }),
      save: (input: unknown, actor: string) => {
        if (!appSecret) throw new Error('createAppServices: saving a signing certificate needs the app secret');
        return saveSigningCertificate(db, appSecret, input, actor);
      },
    },
    /** Code, version and approval date of each record's format (insert-only versions). */
    recordFormats: withDatabase(db, { list: listRecordFormats, versions: recordFormatVersions, save: saveRecordFormat }),
    plan: withDatabase(db, { thresholds: planThresholds, setThresholds: setPlanThresholds, programmedYears }),
    goals: withDatabase(db, { history: goalHistory }),
    /** The Plan de Acción (PE_F_012): versions of a vigencia and the XLSX of one. */
    actionPlan: withDatabase(db, { versions: actionPlanVersions, export: exportActionPlan }),
    reports: withDatabase(db, {
      loadQuarterReport,
      exportDashboard,
      exportMatrix,
      latestReportedQuarters,
      dataSignature: reportDataSignature,
      dataVersion,
    }),
    imports: withDatabase(db, { run: runImport, indicativePlan: importIndicativePlan, progressReport: importProgressReport, createUploads: createImportUploads }),
    reviews: withDatabase(db, {
      stored: storedReview,
      closure: reviewClosure,
      idsInStates: reviewIdsInStates,
      responseTimes: latestResponseTimes,
      latestDraft: latestResponseDraft,
      saveDraft: saveResponseDraft,
      goalDescriptions,
      lastRespondentName,
      ofDepartment: departmentReviewList,
      /** The acuerdos the response form offers for its goals (services/councilAgreements.ts). */
      councilAgreementChoices,
      /** Q3: the goals of the department's cumulative matrix the answer must commit to (db/verdicts.ts). */
      consolidationGoals,
      /** Q3: the commitments the accepted answer made on them, for the read-only and coordinator pages. */
      consolidationCommitments: consolidationCommitmentsOf,
    }),
    /** Acuerdos del Concejo and the meta cuatrienio versions they set (services/councilAgreements.ts). */
    councilAgreements: withDatabase(db, {
      register: registerCouncilAgreement,
      list: listCouncilAgreements,
      read: readCouncilAgreement,
      pdf: councilAgreementPdf,
      termTargetVersions: goalTermTargetVersions,
      goals: goalsWithTermTargets,
    }),
    /** Respuestas extemporáneas (services/lateResponses.ts). */
    lateResponses: withDatabase(db, {
      review: recordedReview,
      record: recordLateResponse,
      list: listLateResponses,
      read: readLateResponse,
      reviewsWithLate: reviewsWithLateResponses,
    }),
    cycleRecords: {
      ...withDatabase(db, { recent: recentCycles }),
      /** A cycle as recorded and its reviews' records, shared while the data version holds (the monitor). */
      withReviews: cycleRecordsReader(db),
    },
    pingDatabase: () => pingDatabase(db),
  };
}

export type AppServices = ReturnType<typeof createAppServices>;
