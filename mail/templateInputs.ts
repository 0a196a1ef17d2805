import type { GoalStatus, Measurement, YearProgramming } from '../domain/goals';
import type { GoalAnswer } from '../domain/review';
import type { ResponseWindow } from '../domain/responseWindow';
import type { GoalState } from '../machines/goalStatus';

/** What each e-mail of PE-P-008 is given: the office, the department, the quarter and its own facts. */

export const PROCEDURE_CODE = 'PE-P-008';
export const PROCEDURE_NAME = 'Reprogramación o ajuste de metas de producto';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** Who writes and from where: shared by every template. */
export interface MailContext {
  /** The municipality's name ("Pasto"); shown as "Alcaldía de Pasto" unless it already names the entity. */
  municipality: string;
  /** "Oficina de Planeación de Gestión Institucional". */
  officeName: string;
  /** IANA time zone of the office (TZ, "America/Bogota"): every date is printed in it. */
  timeZone: string;
  /** Who signs; defaults to the coordination of the MMSE. */
  signature?: { name?: string | null; role?: string | null };
}

export interface MailDepartment {
  code: string;
  name: string;
  liaisonName?: string | null;
}

export interface ReviewContext extends MailContext {
  department: MailDepartment;
  fiscalYear: number;
  quarter: number;
  /** The consecutive number of the record this e-mail issues (alert, constancia, agreement), if numbered. */
  recordNumber?: string | null;
}

/** A flagged goal as the alert shows it (the shape the sendAlert activity already receives). */
export interface AlertGoal {
  goalCode: string;
  name: string;
  status: GoalStatus | null;
  measurement: Measurement | null;
  unit?: string | null;
}

export interface QuarterlyAlertInput extends ReviewContext {
  goals: AlertGoal[];
  responseWindow: ResponseWindow;
  /** ISO instant the answer is due (end of the last business day, local time). */
  deadline: string;
  /** True when the deadline counts from this alert's delivery (said so in the text); a resend keeps the running deadline. */
  countsFromReceipt?: boolean;
  /** The liaison's personal link to the response form. */
  responseUrl: string;
  /** File name of the attached Matriz de metas rezagadas del trimestre. */
  matrixFileName: string;
  /** Q3: the attachment also carries the cumulative matrix (PE-P-008 task 4). */
  includesCumulative?: boolean;
  /** Q3: file name of the attached Matriz de metas rezagadas acumuladas of the department (PE-P-008 task 4). */
  cumulativeMatrixFileName?: string;
}

export interface ReminderInput extends ReviewContext {
  /** Business days left until the deadline (0 = today is the last day). */
  businessDaysLeft: number;
  deadline: string;
  alertedAt: string;
  responseUrl: string;
  /** Goals still waiting for an answer. */
  pendingGoals: { goalCode: string; name: string }[];
  /** 1 for the first reminder, 2 for the second… */
  reminderNumber?: number;
}

export interface ResponseReceiptInput extends ReviewContext {
  respondent: { name: string; email?: string | null };
  receivedAt: string;
  /** 1 for the first answer, +1 after each request for changes. */
  round: number;
  answers: { goalCode: string; name: string; answer: GoalAnswer }[];
  /** The review's state after the answer (ReviewView.state). */
  reviewState: GoalState;
  reviewUrl: string;
}

export interface ChangesRequestedInput extends ReviewContext {
  coordinatorName: string;
  comment: string;
  requestedAt: string;
  newDeadline: string;
  responseWindow?: ResponseWindow;
  responseUrl: string;
  /** The round the department now answers (2 after the first request for changes). */
  round: number;
}

export interface ReviewCancelledInput extends ReviewContext {
  cancelledBy: string;
  reason: string;
  cancelledAt: string;
}

export interface NoAdjustmentRecordInput extends ReviewContext {
  /** Review workflow ID, cited as the reference of the record. */
  reference: string;
  goals: { goalCode: string; name: string; status: GoalStatus | null }[];
  alertedAt: string;
  /** Instants each reminder was sent, in order. */
  remindersSentAt: string[];
  deadline: string;
  recordedAt: string;
  /** File name of the attached PDF constancia. */
  pdfFileName: string;
}

export interface ReprogrammedGoal {
  goalCode: string;
  name: string;
  unit?: string | null;
  before: YearProgramming;
  after: YearProgramming & { futureAnnualTargets?: Record<string, number> };
  justification: string;
  commitment: string;
  /** The change alters the meta cuatrienio: only valid with an Acuerdo del Concejo. */
  altersTermTarget?: boolean;
  councilAgreement?: string | null;
}

export interface ReprogrammingApprovedInput extends ReviewContext {
  reference: string;
  approvedBy: string;
  approvedAt: string;
  reprogrammed: ReprogrammedGoal[];
  /** Goals whose programming stays, with the department's justification and commitment. */
  kept?: { goalCode: string; name: string; justification: string; commitment: string }[];
  /** File name of the attached document (justification and commitment, new programming). */
  documentFileName: string;
  reviewUrl: string;
  /** The Plan de Acción (PE_F_012) version the reprogramming created, and where to download it. */
  actionPlan?: { fiscalYear: number; version: number; url: string } | null;
}
