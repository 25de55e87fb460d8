import { monthRange, NotFoundError, ValidationError, type Payout, type SettlementEntry } from '@market/core';
import { toCsv } from '@market/core/csv';
import { z } from 'zod';
import { IdempotencyKeyHeaders } from '../http/idempotency-key';
import { queryInt } from '../http/query';
import type { RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import { WebhookAckSchema } from '../schemas-commerce';
import { SandboxSignatureHeaders } from './payments';
import type { WebDeps } from '../web-deps';
import {
  CommissionLineSchema,
  CommissionPreviewQuerySchema,
  CommissionRuleInputSchema,
  CommissionRuleListSchema,
  CommissionRuleSchema,
  FinanceOverviewSchema,
  FinanceSummarySchema,
  PayoutAccountInputSchema,
  PayoutAccountSchema,
  PayoutListSchema,
  PayoutRequestSchema,
  PayoutRetryInputSchema,
  PayoutSchema,
  ReconciliationSchema,
  SettlementEntryPageSchema,
  StatementSchema,
} from './finance-schemas';

/** A payout as its seller sees it (the seller id is theirs). */
const ownPayout = ({ sellerId: _seller, ...payout }: Payout) => payout;

/** An entry as its seller sees it. */
const ownEntry = ({ sellerId: _seller, ...entry }: SettlementEntry) => entry;

const RuleId = z.string().regex(/^cr_[\w-]{1,40}$/, 'a commission rule id');
const PayoutId = z.string().regex(/^po_[\w-]{1,200}$/, 'a payout id');
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, e.g. 2026-12');
const Day = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'a day, e.g. 2026-12-07');

/**
 * Marketplace money over HTTP: commission rules (admin), a seller's own finance (summary, entries,
 * payouts, statements, payout account, payout request) — every seller route reads the caller's own
 * ledger, there is no seller id to pass — the admin finance overview and payout retry, and the payout
 * provider's webhook.
 */
export function financeRoutes(route: RouteDefiner, { core, config }: WebDeps) {
  const admin = { roles: ['admin'] } as const;
  const seller = { roles: ['seller'] } as const;

  route(
    {
      method: 'get',
      path: '/api/admin/commission-rules',
      summary: 'Commission rules (most specific wins: product > shop > category and its ancestors > global)',
      tags: ['finance', 'admin'],
      auth: admin,
      responses: { 200: { description: 'Rules', schema: CommissionRuleListSchema } },
    },
    async (ctx) => {
      ctx.body = { items: await core.commission.list() };
    },
  );

  const checkShop = async (input: z.output<typeof CommissionRuleInputSchema>) => {
    if (input.scope === 'shop' && input.targetId && !(await core.shops.getShop(input.targetId)))
      throw new ValidationError([{ field: 'body.targetId', message: 'no such shop' }]);
  };

  route(
    {
      method: 'post',
      path: '/api/admin/commission-rules',
      summary: 'Create a commission rule (audited)',
      tags: ['finance', 'admin'],
      auth: admin,
      body: CommissionRuleInputSchema,
      responses: { 201: { description: 'The rule', schema: CommissionRuleSchema } },
    },
    async (ctx, { body, user }) => {
      await checkShop(body);
      ctx.status = 201;
      ctx.body = await core.commission.create(actorOf(user), body);
    },
  );

  route(
    {
      method: 'put',
      path: '/api/admin/commission-rules/:id',
      summary:
        'Change a commission rule (audited with before and after); orders placed keep their commission',
      tags: ['finance', 'admin'],
      auth: admin,
      params: z.object({ id: RuleId }),
      body: CommissionRuleInputSchema,
      responses: { 200: { description: 'The rule', schema: CommissionRuleSchema } },
    },
    async (ctx, { params, body, user }) => {
      await checkShop(body);
      ctx.body = await core.commission.update(actorOf(user), params.id, body);
    },
  );

  route(
    {
      method: 'delete',
      path: '/api/admin/commission-rules/:id',
      summary: 'Remove a commission rule (audited)',
      tags: ['finance', 'admin'],
      auth: admin,
      params: z.object({ id: RuleId }),
      responses: { 204: { description: 'Removed' } },
    },
    async (ctx, { params, user }) => {
      await core.commission.remove(actorOf(user), params.id);
      ctx.status = 204;
    },
  );

  route(
    {
      method: 'get',
      path: '/api/admin/commission-preview',
      summary:
        'What one line of `amount` fen in this category, shop or product would pay, and under which rule',
      tags: ['finance', 'admin'],
      auth: admin,
      query: CommissionPreviewQuerySchema,
      responses: { 200: { description: 'The commission line', schema: CommissionLineSchema } },
    },
    async (ctx, { query }) => {
      ctx.body = await core.commission.preview(query);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/finance',
      summary: 'Your balance (pending, available, in flight, paid out) and payout account',
      tags: ['finance', 'seller'],
      auth: seller,
      responses: { 200: { description: 'Summary', schema: FinanceSummarySchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      const [balance, account] = await Promise.all([
        core.settlement.balanceOf(user.id),
        core.payouts.account(user.id),
      ]);
      ctx.body = {
        balance,
        account,
        payoutMinimum: config.settlement.payoutMinimumFen,
        timeZone: config.settlement.timeZone,
      };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/finance/entries',
      summary: "Your settlement entries, newest first; `before` is the previous page's `nextBefore`",
      tags: ['finance', 'seller'],
      auth: seller,
      query: z
        .object({
          before: z
            .string()
            .regex(/^\d{1,9}$/, 'the nextBefore of the previous page')
            .transform(Number)
            .optional(),
          limit: queryInt(1, 200, 50),
        })
        .strict(),
      responses: { 200: { description: 'Entries', schema: SettlementEntryPageSchema } },
    },
    async (ctx, { query, user }) => {
      ctx.set('Cache-Control', 'no-store');
      const page = await core.settlement.entries(user.id, {
        beforeVersion: query.before,
        limit: query.limit,
      });
      ctx.body = { ...page, items: page.items.map(ownEntry) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/finance/payouts',
      summary: 'Your payouts, newest first',
      tags: ['finance', 'seller'],
      auth: seller,
      responses: { 200: { description: 'Payouts', schema: PayoutListSchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: (await core.payouts.listForSeller(user.id)).map(ownPayout) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/finance/payouts/:id',
      summary: 'One of your payouts',
      tags: ['finance', 'seller'],
      auth: seller,
      params: z.object({ id: PayoutId }),
      responses: { 200: { description: 'The payout', schema: PayoutSchema } },
    },
    async (ctx, { params, user }) => {
      const payout = await core.payouts.get(params.id);
      if (payout.sellerId !== user.id) throw new NotFoundError('Payout');
      ctx.body = ownPayout(payout);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/seller/finance/payouts',
      summary:
        'Ask to be paid now: `amount` fen of your available balance (all of it when null). Needs an Idempotency-Key: a retry returns the same payout',
      tags: ['finance', 'seller'],
      auth: seller,
      headers: IdempotencyKeyHeaders,
      body: PayoutRequestSchema,
      responses: { 201: { description: 'The payout', schema: PayoutSchema } },
    },
    async (ctx, { body, user, headers }) => {
      ctx.status = 201;
      ctx.body = ownPayout(await core.payouts.request(user.id, headers['idempotency-key'], body.amount));
    },
  );

  route(
    {
      method: 'put',
      path: '/api/seller/finance/account',
      summary: 'Set your payout account (bank card or Alipay); only a masked number is kept and shown',
      tags: ['finance', 'seller'],
      auth: seller,
      body: PayoutAccountInputSchema,
      responses: { 200: { description: 'The account', schema: PayoutAccountSchema } },
    },
    async (ctx, { body, user }) => {
      ctx.body = await core.payouts.setAccount(user.id, body);
    },
  );

  async function statement(sellerId: string, month: string) {
    const { from, to } = monthRange(month, config.settlement.timeZone);
    const [entries, opening, closing] = await Promise.all([
      core.settlement.entriesBetween(sellerId, from, to),
      core.settlement.balanceAt(sellerId, from),
      core.settlement.balanceAt(sellerId, to),
    ]);
    const sum = (kind: SettlementEntry['kind'], pick: (e: SettlementEntry) => number) =>
      entries.filter((e) => e.kind === kind).reduce((s, e) => s + pick(e), 0);
    return {
      month,
      opening,
      closing,
      credits: sum('order_credit', (e) => e.amount),
      refundDebits: -sum('refund_debit', (e) => e.amount),
      released: sum('release', (e) => e.availableDelta),
      paidOut: sum('payout_paid', (e) => -e.amount),
      entries,
    };
  }

  route(
    {
      method: 'get',
      path: '/api/seller/finance/statements/:month',
      summary: 'Your statement of a month (market time zone): opening and closing balances and every entry',
      tags: ['finance', 'seller'],
      auth: seller,
      params: z.object({ month: Month }),
      responses: { 200: { description: 'The statement', schema: StatementSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      const s = await statement(user.id, params.month);
      ctx.body = { ...s, entries: s.entries.map(ownEntry) };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/seller/finance/statements/:month/csv',
      summary: 'Your statement of a month as CSV (one row per entry)',
      tags: ['finance', 'seller'],
      auth: seller,
      params: z.object({ month: Month }),
      responses: { 200: { description: 'CSV', contentType: 'text/csv', schema: z.string() } },
    },
    async (ctx, { params, user }) => {
      const s = await statement(user.id, params.month);
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="statement-${params.month}.csv"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = toCsv([
        [
          'at',
          'day',
          'kind',
          'order',
          'payout',
          'amount_fen',
          'pending_fen',
          'available_fen',
          'in_flight_fen',
          'paid_out_fen',
          'balance_fen',
          'note',
        ],
        ...s.entries.map((e) => [
          e.at.toISOString(),
          e.day,
          e.kind,
          e.orderNumber ?? '',
          e.payoutId ?? '',
          e.amount,
          e.pending,
          e.available,
          e.inFlight,
          e.paidOut,
          e.balance,
          e.note,
        ]),
      ]);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/admin/finance',
      summary: 'Finance overview: commission by day, payouts in flight and failed, reconciliation by day',
      tags: ['finance', 'admin'],
      auth: admin,
      responses: { 200: { description: 'Overview', schema: FinanceOverviewSchema } },
    },
    async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      const [reconciliations, payouts] = await Promise.all([
        core.reconciliation.recent(60),
        core.payouts.needingAttention(),
      ]);
      ctx.body = {
        commissionByDay: reconciliations.map((r) => ({
          day: r.day,
          commission: r.commission,
          orders: r.orders,
        })),
        inFlight: payouts.inFlight,
        failed: payouts.failed,
        reconciliations,
      };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/admin/finance/reconcile/:day',
      summary: 'Reconcile one market day now (the daily job does it hourly for yesterday and today)',
      tags: ['finance', 'admin'],
      auth: admin,
      params: z.object({ day: Day }),
      responses: { 200: { description: 'The result', schema: ReconciliationSchema } },
    },
    async (ctx, { params }) => {
      ctx.body = await core.reconciliation.reconcileDay(params.day);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/admin/finance/payouts/:id/retry',
      summary: 'Pay a failed payout again (a new payout for the same amount to the current account); audited',
      tags: ['finance', 'admin'],
      auth: admin,
      params: z.object({ id: PayoutId }),
      body: PayoutRetryInputSchema,
      responses: { 200: { description: 'The new payout', schema: PayoutSchema } },
    },
    async (ctx, { params, body, user }) => {
      ctx.body = ownPayout(await core.payouts.retry(actorOf(user), params.id, body.reason));
    },
  );

  route(
    {
      method: 'post',
      path: '/api/payouts/webhooks/sandbox',
      summary:
        'Payout provider webhooks (payout.paid, payout.failed), signed like the payment webhooks; each event is processed once',
      tags: ['finance'],
      auth: 'public',
      headers: SandboxSignatureHeaders,
      responses: { 200: { description: 'Acknowledged', schema: WebhookAckSchema } },
    },
    async (ctx) => {
      const raw = (ctx.request as { rawBody?: string }).rawBody ?? '';
      const headers = Object.fromEntries(
        Object.entries(ctx.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
      );
      ctx.body = await core.payouts.receiveWebhook(raw, headers);
    },
  );
}
