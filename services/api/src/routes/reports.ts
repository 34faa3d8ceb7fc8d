import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { reportsRepo } from '@petitions/db';
import { chinaDay, DEFAULT_REPORT_SETTINGS, RANKING_CLASSES, REPORT_GROUPINGS, type Actor, type ReportSettings } from '@petitions/domain';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { ADMIN_ONLY, requireRole } from '../roles.js';
import {
  hotIssuesTable, overdueTable, rankingTable, summaryTable, toCsv, toXlsx, trendTable, type Lang, type OverdueLine, type Table,
} from '../services/report-export.js';
import {
  hotIssues, loadReportSettings, nameOf, PERIOD_KINDS, rankingReport, reportScope, resolvePeriod, scopeLabel, summaryReport, trendReport, type Period, type PeriodKind, type ReportScope,
} from '../services/reports.js';
import { errorResponses, literalUnion, Uuid } from './schemas.js';

/** A number or null (a rate with nothing to divide by, a time with nothing measured). */
const Num = (description?: string) => Type.Union([Type.Number(), Type.Null()], description === undefined ? {} : { description });
const MeasuresView = Type.Object({
  received: Type.Integer({ description: '受理量 petitions received' }),
  dispatched: Type.Integer({ description: '派单量 lead tasks dispatched' }),
  awaitingSignFor: Type.Integer({ description: '待签收(未到期): dispatched in the period and still within the sign-for time now; left out of 响应率' }),
  responseRate: Num('响应率 (0–1): tasks signed for within the sign-for deadline ÷ tasks dispatched'),
  resolutionRate: Num('解决率 (0–1): rated petitions the resident calls resolved ÷ rated petitions'),
  satisfactionRate: Num('满意率 (0–1): (satisfied + basically satisfied) ÷ rated petitions'),
  satisfactionScore: Num('满意度得分 (0–100): answers weighted by the settings\' points'),
  onTimeRate: Num('按期办结率 (0–1): completions within the handling deadline ÷ completions'),
  returnRate: Num('退单率 (0–1): returns ÷ tasks dispatched'),
  redoRate: Num('重办率 (0–1): redos after a dissatisfied rating ÷ completions'),
  completed: Type.Integer(), rated: Type.Integer(), noFeedback: Type.Integer(),
  open: Type.Integer({ description: '在办量 open now (not yet completed)' }),
  overdue: Type.Integer({ description: '超期量 open now and past the handling deadline' }),
  meanTimeToSign: Num(), p90TimeToSign: Num(), meanTimeToComplete: Num(),
  p90TimeToComplete: Num('Seconds; P90 from a log-scale histogram (buckets 19 % wide, interpolated)'),
  compositeScore: Num('综合得分 (0–100): the three rates weighted by the settings (30/35/35)'),
});
const PeriodView = Type.Object({
  kind: literalUnion(PERIOD_KINDS, 'day 日, week 周 (Mon–Sun), month 月, year 年, custom 自定义'),
  from: Type.String(), to: Type.String(),
  previous: Type.Object({ from: Type.String(), to: Type.String() }),
});
const Format = literalUnion(['json', 'csv', 'xlsx'] as const, 'json (default); csv (UTF-8 with BOM) or xlsx download with Chinese headers');
const LangQ = literalUnion(['zh', 'en'] as const, 'Headers and names in downloads: zh (default) or en');
const PeriodQuery = {
  period: Type.Optional(literalUnion(PERIOD_KINDS, '统计周期 day, week, month (default), year or custom (with from and to)')),
  date: Type.Optional(Type.String({ description: 'A day inside the period, YYYY-MM-DD (China time); default today' })),
  from: Type.Optional(Type.String({ description: 'custom: first day, YYYY-MM-DD' })),
  to: Type.Optional(Type.String({ description: 'custom: last day, YYYY-MM-DD (at most 731 days)' })),
  districtId: Type.Optional(Uuid('One district within your scope; default the whole scope')),
  format: Type.Optional(Format),
  lang: Type.Optional(LangQ),
};

const SettingsBody = Type.Object({
  weights: Type.Object({
    response: Type.Number({ minimum: 0, maximum: 100 }), resolution: Type.Number({ minimum: 0, maximum: 100 }), satisfaction: Type.Number({ minimum: 0, maximum: 100 }),
  }, { additionalProperties: false, description: '综合得分权重 weights of 响应率, 解决率, 满意率 (default 30/35/35); at least one above 0' }),
  satisfactionPoints: Type.Object({
    satisfied: Type.Number({ minimum: 0, maximum: 100 }), basically_satisfied: Type.Number({ minimum: 0, maximum: 100 }), dissatisfied: Type.Number({ minimum: 0, maximum: 100 }),
  }, { additionalProperties: false, description: '满意度得分 points per answer (default 100/80/0)' }),
  noFeedback: literalUnion(['excluded', 'satisfied'] as const, '未回访办结: excluded (default) leaves them out of 解决率/满意率; satisfied counts them as resolved and satisfied'),
  ranking: Type.Object({
    advancedShare: Type.Number({ minimum: 0, maximum: 0.5, description: '先进: top share by score (default 0.1)' }),
    rectifyShare: Type.Number({ minimum: 0, maximum: 0.5, description: '整改: bottom share by score (default 0.1)' }),
    improvedMinRise: Type.Integer({ minimum: 1, maximum: 100, description: '进步: places risen since the period before (default 5)' }),
    governanceCount: Type.Integer({ minimum: 0, maximum: 100, description: '治理: the N with most requests, under special supervision (default 10)' }),
    minReceived: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: '参与排名的最低受理量: fewer requests in the period are listed unranked (default 5)' })),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

const FILE_TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

async function download(reply: FastifyReply, format: 'csv' | 'xlsx', name: string, table: Table, lang: Lang): Promise<FastifyReply> {
  const body = format === 'csv' ? toCsv(table) : await toXlsx(table, lang, new Date());
  const file = `${name}.${format}`;
  return reply
    .type(FILE_TYPES[format])
    .header('content-disposition', `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`${table.title}.${format}`)}`)
    .send(body);
}


/** Whom the reader may see (checked first: a refusal comes before a bad period) and the period asked for, a month by default. */
async function scopeAndPeriod(
  ctx: AppContext, actor: Actor,
  q: { period?: PeriodKind | undefined; date?: string | undefined; from?: string | undefined; to?: string | undefined; districtId?: string | undefined },
): Promise<{ scope: ReportScope; period: Period }> {
  const scope = await reportScope(ctx.db, ctx.reference, actor, q.districtId);
  return { scope, period: resolvePeriod(q.period ?? 'month', q) };
}

/** The report as JSON, or with `format` csv|xlsx as that download (headers in `lang`, named with its scope). */
async function answer<R>(
  ctx: AppContext, reply: FastifyReply, q: { format?: 'json' | 'csv' | 'xlsx' | undefined; lang?: Lang | undefined },
  scope: ReportScope, file: string, report: R, toTable: (r: R, lang: Lang, scopeName: string) => Table,
): Promise<R | FastifyReply> {
  if (!q.format || q.format === 'json') return report;
  const lang = q.lang ?? 'zh';
  return download(reply, q.format, file, toTable(report, lang, await scopeLabel(ctx.reference, scope, lang)), lang);
}

/** 统计报表: measures, rankings, trends, hot issues and the overdue list, for leaders and the supervision office. */
export const reportRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/reports/summary', {
    schema: {
      tags: ['reports'], operationId: 'getReportSummary',
      summary: '诉求办理统计：按单位、街道、社区、分类或渠道分组 · Measures grouped by unit, street, community, category or channel',
      description: 'Leaders (their city or district), supervisors and admins. Definitions: README "Report definitions". Rates are fractions; times are seconds.',
      querystring: Type.Object({ ...PeriodQuery, groupBy: Type.Optional(literalUnion(REPORT_GROUPINGS, '分组 default street')) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          period: PeriodView, groupBy: Type.String(), total: MeasuresView,
          rows: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), nameEn: Type.String(), measures: MeasuresView })),
        }),
        ...errorResponses(400, 403, 404),
      },
    },
  }, async (request, reply) => {
    const q = request.query;
    const { scope, period } = await scopeAndPeriod(ctx, request.actor, q);
    const report = await summaryReport(ctx.db, ctx.reference, scope, period, q.groupBy ?? 'street', await loadReportSettings(ctx.db));
    return answer(ctx, reply, q, scope, `summary-${period.from}-${period.to}`, report, summaryTable);
  });

  app.get('/reports/ranking', {
    schema: {
      tags: ['reports'], operationId: 'getReportRanking',
      summary: '综合排名与分类（先进/进步/整改/治理）· Ranking by composite score with the four classes',
      description: 'Monthly by default. 先进 top share, 整改 bottom share, 进步 risen by at least N places since the period before, 治理 the N with most requests (special supervision): see GET /reports/settings.',
      querystring: Type.Object({ ...PeriodQuery, groupBy: Type.Optional(literalUnion(['street', 'unit'] as const, '排名对象 street (default) or unit')) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          period: PeriodView, groupBy: Type.String(),
          rows: Type.Array(Type.Object({
            key: Type.String(), name: Type.String(), nameEn: Type.String(), rank: Type.Union([Type.Integer(), Type.Null()]),
            previousRank: Type.Union([Type.Integer(), Type.Null()]), classes: Type.Array(literalUnion(RANKING_CLASSES, 'advanced 先进, improved 进步, rectify 整改, governance 治理')),
            score: Num(), received: Type.Integer(), responseRate: Num(), resolutionRate: Num(), satisfactionRate: Num(),
          })),
        }),
        ...errorResponses(400, 403, 404),
      },
    },
  }, async (request, reply) => {
    const q = request.query;
    const { scope, period } = await scopeAndPeriod(ctx, request.actor, q);
    const report = await rankingReport(ctx.db, ctx.reference, scope, period, q.groupBy ?? 'street', await loadReportSettings(ctx.db));
    return answer(ctx, reply, q, scope, `ranking-${period.from}-${period.to}`, report, rankingTable);
  });

  app.get('/reports/trend', {
    schema: {
      tags: ['reports'], operationId: 'getReportTrend',
      summary: '月度趋势 · Month-over-month measures',
      querystring: Type.Object({
        date: PeriodQuery.date, districtId: PeriodQuery.districtId, format: PeriodQuery.format, lang: PeriodQuery.lang,
        months: Type.Optional(Type.Integer({ minimum: 2, maximum: 36, description: 'Months ending with the one holding date (default 12)' })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({ from: Type.String(), to: Type.String(), points: Type.Array(Type.Object({ month: Type.String(), measures: MeasuresView })) }),
        ...errorResponses(400, 403, 404),
      },
    },
  }, async (request, reply) => {
    const q = request.query;
    const scope = await reportScope(ctx.db, ctx.reference, request.actor, q.districtId);
    const end = resolvePeriod('month', q).to;
    const report = await trendReport(ctx.db, scope, end, q.months ?? 12, await loadReportSettings(ctx.db));
    return answer(ctx, reply, q, scope, `trend-${report.from}-${report.to}`, report, trendTable);
  });

  app.get('/reports/hot-issues', {
    schema: {
      tags: ['reports'], operationId: 'getHotIssues',
      summary: '热点问题：分类 × 街道 受理量最多的集群及增长 · The most frequent category × street clusters and their growth',
      querystring: Type.Object({ ...PeriodQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'default 10' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          period: PeriodView,
          items: Type.Array(Type.Object({
            categoryId: Type.String(), category: Type.String(), categoryEn: Type.String(), streetId: Type.Union([Type.String(), Type.Null()]),
            street: Type.String(), streetEn: Type.String(), received: Type.Integer(), previous: Type.Integer(), growth: Num(),
          })),
        }),
        ...errorResponses(400, 403, 404),
      },
    },
  }, async (request, reply) => {
    const q = request.query;
    const { scope, period } = await scopeAndPeriod(ctx, request.actor, q);
    const report = await hotIssues(ctx.db, ctx.reference, scope, period, q.limit ?? 10);
    return answer(ctx, reply, q, scope, `hot-issues-${period.from}-${period.to}`, report, hotIssuesTable);
  });

  app.get('/reports/overdue', {
    schema: {
      tags: ['reports'], operationId: 'getOverdueList',
      summary: '超期件清单（督办）· Open tasks past their sign-for or handling deadline, oldest first',
      description: 'Suspended petitions are left out (their clock is paused).',
      querystring: Type.Object({
        districtId: PeriodQuery.districtId, format: PeriodQuery.format, lang: PeriodQuery.lang,
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 100' })),
        offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          asOf: Type.String({ format: 'date-time' }), total: Type.Integer(),
          items: Type.Array(Type.Object({
            petitionId: Type.String(), trackingNo: Type.String(), title: Type.String(), state: Type.String(), urgency: Type.String(),
            categoryId: Type.String(), category: Type.String(), categoryEn: Type.String(), unitId: Type.String(), unit: Type.String(), unitEn: Type.String(),
            step: literalUnion(['sign_for', 'handling'] as const, 'Which deadline passed'), dueAt: Type.String({ format: 'date-time' }),
            overdueHours: Type.Number(), districtId: Type.String(), streetId: Type.Union([Type.String(), Type.Null()]),
          })),
        }),
        ...errorResponses(400, 403, 404),
      },
    },
  }, async (request, reply) => {
    const q = request.query;
    const scope = await reportScope(ctx.db, ctx.reference, request.actor, q.districtId);
    const now = new Date();
    const { items, total } = await reportsRepo.listOverdue(ctx.db, { districtIds: scope.districtIds, now, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    const lines: OverdueLine[] = [];
    for (const i of items) {
      const unit = await nameOf(ctx.reference, 'unit', i.unit_id);
      const cat = await nameOf(ctx.reference, 'category', i.category_id);
      lines.push({
        petitionId: i.petition_id, trackingNo: i.tracking_no, title: i.title, state: i.state, urgency: i.urgency, categoryId: i.category_id,
        category: cat.name, categoryEn: cat.nameEn, unitId: i.unit_id, unit: unit.name, unitEn: unit.nameEn,
        step: i.task_status === 'to_sign' ? 'sign_for' : 'handling', dueAt: i.due_at.toISOString(),
        overdueHours: Math.round(((now.getTime() - i.due_at.getTime()) / 3_600_000) * 10) / 10, districtId: i.district_id, streetId: i.street_id,
      });
    }
    return answer(ctx, reply, q, scope, `overdue-${chinaDay(now)}`, { asOf: now.toISOString(), total, items: lines }, overdueTable);
  });

  app.get('/reports/settings', {
    schema: {
      tags: ['reports'], operationId: 'getReportSettings',
      summary: '统计口径设置 · The choices the definitions leave open',
      response: { 200: SettingsBody, ...errorResponses(403) },
    },
  }, async (request) => {
    await reportScope(ctx.db, ctx.reference, request.actor, undefined);
    return loadReportSettings(ctx.db);
  });

  app.put('/reports/settings', {
    schema: {
      tags: ['reports'], operationId: 'putReportSettings',
      summary: '修改统计口径（管理员）· Change the report settings (admins)',
      description: 'Applies to every report read afterwards, past periods included: rollups keep raw counts and the settings are applied when reading.',
      body: SettingsBody,
      response: { 200: SettingsBody, ...errorResponses(400, 403) },
    },
  }, async (request) => {
    requireRole(request.actor.role, ADMIN_ONLY, 'Changing the report settings');
    const s: Static<typeof SettingsBody> = request.body;
    if (s.weights.response + s.weights.resolution + s.weights.satisfaction <= 0) {
      throw new AppError(400, 'INVALID_FIELD', 'weights: at least one weight must be above 0', { field: 'weights' });
    }
    const settings: ReportSettings = { ...DEFAULT_REPORT_SETTINGS, ...s, ranking: { ...DEFAULT_REPORT_SETTINGS.ranking, ...s.ranking } };
    await reportsRepo.saveSettings(ctx.db, settings, request.actor.id);
    request.log.info({ by: request.actor.id }, 'report settings changed');
    return settings;
  });
};

