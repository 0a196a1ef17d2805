import express from 'express';
import { reviewStatesOpenForResponse, signReviewLink, type Auth } from '../auth';
import { formatDateTime, quarterTitle } from '../domain/format';
import type { Quarter } from '../domain/goals';
import type { AppServices } from '../services/appServices';
import { sendPage } from './html';
import { reviewStateLabel } from './reviewWords';
import { myReviewsPage } from './views/myReviews';

/**
 * "Mis revisiones": a signed-in liaison's own department's reviews, each with its personal link
 * (the same form the alert e-mail opens), so a liaison who lost the e-mail still answers.
 */
const closedWithoutAnswer = ['dataError', 'failed'];
/** Closed by the constancia: the link still takes a respuesta extemporánea (server/responseForm.ts). */
const takesLateAnswer = (state: string) => state === 'noAdjustment';

export function createMyReviewsRouter({ reviews, auth, timeZone }: { reviews: AppServices['reviews']; auth: Auth; timeZone: string }) {
  const router = express.Router();
  router.get('/mis-revisiones', auth.requireRolePage('liaison'), async (req, res) => {
    const departmentCode: string | null = res.locals.user?.departmentCode ?? null;
    const rows = departmentCode ? await reviews.ofDepartment(departmentCode) : [];
    const issuedAt = new Date();
    const body = myReviewsPage(
      departmentCode,
      rows.map((r) => ({
        title: quarterTitle(r.fiscalYear, r.quarter as Quarter),
        stateLabel: reviewStateLabel(r.state),
        deadline: r.deadline ? formatDateTime(r.deadline, timeZone) : null,
        // A review that ended without an answer has nothing to show behind the link.
        link: closedWithoutAnswer.includes(r.state)
          ? null
          : `/responder/${r.workflowId}/${signReviewLink({ reviewWorkflowId: r.workflowId, departmentCode: departmentCode as string, issuedAt }, auth.reviewLinkKey)}`,
        open: (reviewStatesOpenForResponse as readonly string[]).includes(r.state),
        late: takesLateAnswer(r.state),
      })),
    );
    sendPage(res, 'Mis revisiones', body, { csrf: auth.csrfToken(req), current: '/mis-revisiones' });
  });
  return router;
}
