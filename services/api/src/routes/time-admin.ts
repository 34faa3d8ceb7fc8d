import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { timeRepo } from '@petitions/db';
import {
  CALENDAR_PROVISIONAL_YEARS, chinaDay, DeadlineRules, policyProblem, typicalArrivals, URGENCIES, validateSlaDuration, WorkCalendar,
  type DeadlineKind, type DurationUnit, type Role, type SlaPolicy, type Urgency,
} from '@petitions/domain';
import type { AppContext } from '../context.js';
import { AppError, errors } from '../errors.js';
import { ADMIN_ONLY, requireRole, STAFF_ROLES } from '../roles.js';
import { errorResponses, literalUnion, Uuid, UUID_PATTERN } from './schemas.js';

/** Everyone but residents reads the rules; only administrators change them. */
const READ_ROLES: readonly Role[] = [...STAFF_ROLES, 'system'];
const WRITE_ROLES = ADMIN_ONLY;

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const NOTE_MAX = 40;
const DURATION_UNITS = ['minutes', 'hours', 'calendar_days', 'working_hours', 'working_days'] as const satisfies readonly DurationUnit[];
const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const APPLIES = '修改对此后计算的时限生效（工作流约 5 秒内读取新规则），已在计时的时限不变。'
  + ' Changes apply to deadlines computed afterwards (the workflow worker picks them up within about 5 s); running deadlines keep their dates.';

const invalidDate = (field: string, why: string) => new AppError(400, 'INVALID_DATE', `${field}: ${why}`, { field });
const invalidDuration = (field: string, why: string) => new AppError(400, 'INVALID_DURATION', `${field}: ${why}`, { field });

// ---------------------------------------------------------------------------------------------
// Schemas

const CalendarDayView = Type.Object({
  date: Type.String({ description: '日期 Date, YYYY-MM-DD (Beijing time)' }),
  isWorkday: Type.Boolean({ description: 'true: 调休上班 a Saturday/Sunday that is worked; false: 放假 a weekday off' }),
  note: Type.String({ description: '说明 Note, e.g. 春节 / 春节调休上班' }),
});

const DateParams = Type.Object({
  date: Type.String({ description: '日期 YYYY-MM-DD，须为真实日期 (a real calendar date, 2000–2100)' }),
});

const CalendarDayBody = Type.Object({
  isWorkday: Type.Boolean({ description: 'true: 调休上班 (only a Saturday or Sunday); false: 放假 (only Monday to Friday)' }),
  note: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: `说明，去掉首尾空格后 1–${NOTE_MAX} 字 · Note, 1–${NOTE_MAX} characters after trimming` }),
}, { additionalProperties: false });

const Duration = Type.Object({
  amount: Type.Number({ description: '数量 Amount (> 0; working_days whole numbers; at most 1000 days in all)' }),
  unit: literalUnion(DURATION_UNITS, '单位 Unit: minutes 分钟, hours 小时, calendar_days 自然日, working_hours 工作小时, working_days 工作日 (ends at close of business)'),
}, { additionalProperties: false });

const CategoryRef = Type.Object({ id: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) });

const SlaPolicyView = Type.Object({
  id: Type.String(),
  category: Type.Union([Type.Null(), CategoryRef], { description: 'null: 该紧急程度的默认标准 the urgency\'s default; else 分类单独标准 a category override' }),
  urgency: literalUnion(URGENCIES, '紧急程度 Urgency'),
  signFor: Duration,
  handling: Duration,
  feedback: Duration,
  reminderShare: Type.Number({ description: '催办提醒时点：办理时限已过的比例 Share of the handling time after which the 催办 reminder fires' }),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  updatedByName: Type.Union([Type.String(), Type.Null()], { description: "The account's display name when a signed-in user made the change" }),
});

const SlaPolicyBody = Type.Object({
  categoryId: Type.Union([Uuid('分类 id'), Type.Null()], { description: 'null: 修改该紧急程度的默认标准 edit the urgency\'s default; a category id: that category\'s own standard' }),
  urgency: literalUnion(URGENCIES, '紧急程度 Urgency'),
  signFor: Duration,
  handling: Duration,
  feedback: Duration,
  reminderShare: Type.Number({ minimum: 0.05, maximum: 0.95, description: '催办提醒时点 0.05–0.95 of the handling time' }),
}, { additionalProperties: false });

const PREVIEW_KINDS = ['sign_for', 'handling', 'handling_reminder', 'handling_escalation', 'feedback'] as const satisfies readonly DeadlineKind[];

const PreviewItem = Type.Object({
  kind: literalUnion(PREVIEW_KINDS, 'sign_for 签收时限, handling 办理时限, handling_reminder 催办提醒, handling_escalation 超期通报, feedback 回访时限 (if completed at `from`)'),
  dueAt: Type.String({ format: 'date-time' }),
  basis: literalUnion(['clock', 'working'] as const, 'working: 按工作时间计 counted in working time on the calendar; clock: 按自然时间计'),
});

const Preview = Type.Object({
  from: Type.String({ format: 'date-time' }),
  urgency: literalUnion(URGENCIES, '紧急程度 Urgency'),
  category: Type.Union([Type.Null(), CategoryRef]),
  policySource: literalUnion(['category', 'default', 'builtin'] as const,
    'category: 分类单独标准 the category\'s own row; default: 该紧急程度默认标准 the urgency\'s default row; builtin: 系统内置 DOMAIN.md defaults (no row)'),
  policy: Type.Object({ signFor: Duration, handling: Duration, feedback: Duration, reminderShare: Type.Number() }),
  deadlines: Type.Array(PreviewItem),
});

// ---------------------------------------------------------------------------------------------
// Helpers

/** The weekday (0 = Sunday) of a real 'YYYY-MM-DD' date, else a reason. */
function parseDate(s: string): number | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return `'${s}' is not a date; use YYYY-MM-DD`;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const at = new Date(Date.UTC(y, mo - 1, d));
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d) return `${s} is not a real calendar date`;
  if (y < MIN_YEAR || y > MAX_YEAR) return `${s} is outside ${MIN_YEAR}–${MAX_YEAR}`;
  return at.getUTCDay();
}

/** The weekday of a real date, else 400 INVALID_DATE. */
function validDate(field: string, s: string): number {
  const p = parseDate(s);
  if (typeof p === 'string') throw invalidDate(field, p);
  return p;
}

/** The year in Beijing time. */
function currentYear(): number {
  return Number(chinaDay(new Date()).slice(0, 4));
}

/** A 'real' column comes back as float4: 0.8 → 0.800000011920929. */
const share = (x: number) => Math.round(x * 10_000) / 10_000;

interface CategoryRow { id: string; name: string; name_en: string | null }
const categoryRef = (c: CategoryRow) => ({ id: c.id, name: c.name, nameEn: c.name_en });

// ---------------------------------------------------------------------------------------------

/** 工作日历 and 时限标准: the calendar exceptions and SLA policies deadlines are computed with, and a preview. */
export const timeAdminRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  // ---- calendar ------------------------------------------------------------------------------

  app.get('/calendar', {
    schema: {
      tags: ['time'], operationId: 'getCalendar',
      summary: '工作日历：某年的节假日与调休上班日 · The year\'s calendar exceptions (holidays and make-up working days)',
      description: '只列出周一至周五规则之外的日子：放假的工作日和调休上班的周末，按日期排序。工作人员均可查看。'
        + ' Lists only the exceptions to the Monday–Friday rule, sorted by date. Any staff role may read. `provisional` is true for a year whose'
        + ' entries are still the statutory days entered before the State Council\'s notice (notes beginning 暂定).',
      querystring: Type.Object({
        year: Type.Optional(Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR, description: '年份 Year, 2000–2100; defaults to the current year' })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          year: Type.Integer(),
          provisional: Type.Boolean({ description: '暂定：待国务院办公厅通知发布后更新 Provisional until the State Council notice is out' }),
          days: Type.Array(CalendarDayView),
        }),
        ...errorResponses(400, 403),
      },
    },
  }, async (request) => {
    requireRole(request.actor.role, READ_ROLES, 'Reading the calendar');
    const year = request.query.year ?? currentYear();
    const days = await timeRepo.listCalendarDays(ctx.db, year);
    const provisional = CALENDAR_PROVISIONAL_YEARS.includes(year) && (days.length === 0 || days.some((d) => d.note.startsWith('暂定')));
    return { year, provisional, days };
  });

  app.put('/calendar/:date', {
    schema: {
      tags: ['time'], operationId: 'putCalendarDay',
      summary: '设置节假日或调休上班日（管理员）· Mark a holiday or make-up working day (admins)',
      description: '工作日（周一至周五）只能设为放假，周末只能设为调休上班；要恢复常规请删除该日。'
        + ' A weekday can only be marked as a day off and a Saturday or Sunday only as a working day (400 NOT_AN_EXCEPTION otherwise;'
        + ' an existing entry such as a Sunday inside the 春节 block may keep its type and change its note);'
        + ` to return a day to the Monday–Friday rule, DELETE it. ${APPLIES}`,
      params: DateParams,
      body: CalendarDayBody,
      response: { 200: CalendarDayView, ...errorResponses(400, 403) },
    },
  }, async (request) => {
    requireRole(request.actor.role, WRITE_ROLES, 'Changing the calendar');
    const { date } = request.params;
    const weekday = validDate('date', date);
    const note = request.body.note.trim();
    if (note.length > NOTE_MAX) throw errors.invalidField('note', `must be at most ${NOTE_MAX} characters (${note.length} given)`);
    const weekend = weekday === 0 || weekday === 6;
    const { isWorkday } = request.body;
    // The State Council's holiday blocks include weekend days (春节 2026-02-15 is a Sunday): such an
    // entry may keep its type and have its note changed, but no new pointless entry is made.
    const existing = await ctx.db.selectFrom('calendar_days').select('is_workday').where('date', '=', date).executeTakeFirst();
    const unchanged = existing?.is_workday === isWorkday;
    if (weekend && !isWorkday && !unchanged) {
      throw new AppError(400, 'NOT_AN_EXCEPTION',
        `${date} is a ${WEEKDAYS_EN[weekday]} (${WEEKDAYS_ZH[weekday]}), a day off anyway; only a Monday to Friday can be marked as a holiday`, { field: 'isWorkday' });
    }
    if (!weekend && isWorkday && !unchanged) {
      throw new AppError(400, 'NOT_AN_EXCEPTION',
        `${date} is a ${WEEKDAYS_EN[weekday]} (${WEEKDAYS_ZH[weekday]}), a working day anyway; only a Saturday or Sunday can be marked as a make-up working day`, { field: 'isWorkday' });
    }
    const day = { date, isWorkday, note };
    await timeRepo.upsertCalendarDay(ctx.db, day, request.actor.id);
    request.log.info({ date, isWorkday, by: request.actor.id }, 'calendar day set');
    return day;
  });

  app.delete('/calendar/:date', {
    schema: {
      tags: ['time'], operationId: 'deleteCalendarDay',
      summary: '删除节假日/调休安排（管理员）· Remove a calendar exception (admins)',
      description: `该日恢复周一至周五规则。The day follows the Monday–Friday rule again. ${APPLIES}`,
      params: DateParams,
      response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(400, 403, 404) },
    },
  }, async (request, reply) => {
    requireRole(request.actor.role, WRITE_ROLES, 'Changing the calendar');
    const { date } = request.params;
    validDate('date', date);
    if (!(await timeRepo.deleteCalendarDay(ctx.db, date))) {
      throw new AppError(404, 'CALENDAR_DAY_NOT_FOUND', `${date} has no holiday or make-up entry; it already follows the Monday–Friday rule`);
    }
    request.log.info({ date, by: request.actor.id }, 'calendar day removed');
    return reply.status(204).send(null);
  });

  // ---- SLA policies --------------------------------------------------------------------------

  const listPolicies = async () => {
    const [rows, categories] = await Promise.all([
      timeRepo.listSlaPolicies(ctx.db),
      ctx.db.selectFrom('categories').select(['id', 'code', 'name', 'name_en']).execute(),
    ]);
    const byId = new Map(categories.map((c) => [c.id, c]));
    // Changes are stamped with the actor's id: a signed-in user's is their account id, shown by name.
    const accountIds = [...new Set(rows.flatMap((r) => (r.updatedBy && UUID_PATTERN.test(r.updatedBy) ? [r.updatedBy] : [])))];
    const accounts = accountIds.length === 0 ? [] : await ctx.db.selectFrom('users').select(['id', 'display_name'])
      .where('id', '=', (eb) => eb.fn.any(eb.val(accountIds))).execute();
    const nameOf = new Map(accounts.map((a) => [a.id, a.display_name]));
    const order = (categoryId: string | null) => (categoryId ? byId.get(categoryId)?.code ?? categoryId : '');
    return rows
      .sort((a, b) => order(a.categoryId).localeCompare(order(b.categoryId)) || URGENCIES.indexOf(a.urgency) - URGENCIES.indexOf(b.urgency))
      .map((r) => {
        const c = r.categoryId ? byId.get(r.categoryId) : undefined;
        return {
          id: r.id,
          category: r.categoryId ? (c ? categoryRef(c) : { id: r.categoryId, name: r.categoryId, nameEn: null }) : null,
          urgency: r.urgency, signFor: r.policy.signFor, handling: r.policy.handling, feedback: r.policy.feedback,
          reminderShare: share(r.policy.reminderShare), updatedAt: r.updatedAt.toISOString(), updatedBy: r.updatedBy,
          updatedByName: r.updatedBy ? nameOf.get(r.updatedBy) ?? null : null,
        };
      });
  };

  app.get('/sla-policies', {
    schema: {
      tags: ['time'], operationId: 'listSlaPolicies',
      summary: '时限标准：各紧急程度的默认标准与分类单独标准 · SLA policies: urgency defaults and category overrides',
      description: '签收、办理、回访时限和催办提醒时点。分类没有单独标准时使用该紧急程度的默认标准。工作人员均可查看。'
        + ' Sign-for, handling and feedback limits and the reminder point. A category without its own row uses the urgency\'s default. Any staff role may read.',
      response: { 200: Type.Array(SlaPolicyView), ...errorResponses(403) },
    },
  }, async (request) => {
    requireRole(request.actor.role, READ_ROLES, 'Reading the SLA policies');
    return listPolicies();
  });

  app.put('/sla-policies', {
    schema: {
      tags: ['time'], operationId: 'putSlaPolicy',
      summary: '设置时限标准（管理员）· Set an SLA policy (admins)',
      description: 'categoryId 为 null 时修改该紧急程度的默认标准，否则设置该分类的单独标准（覆盖默认）。'
        + ' With categoryId null it replaces the urgency\'s default; with a category id it creates or replaces that category\'s own policy.'
        + ` Errors: UNKNOWN_CATEGORY (categoryId), INVALID_DURATION (e.g. handling.amount), INCONSISTENT_POLICY (sign-for ending after handling); nothing is written on an error. ${APPLIES}`,
      body: SlaPolicyBody,
      response: { 200: SlaPolicyView, ...errorResponses(400, 403) },
    },
  }, async (request) => {
    requireRole(request.actor.role, WRITE_ROLES, 'Changing the SLA policies');
    const body = request.body;
    for (const f of ['signFor', 'handling', 'feedback'] as const) {
      const problem = validateSlaDuration(body[f]);
      if (problem) throw invalidDuration(`${f}.amount`, problem);
    }
    if (body.categoryId !== null && !(await ctx.reference.category(body.categoryId))) throw errors.unknownCategory('categoryId');
    const policy: SlaPolicy = { signFor: body.signFor, handling: body.handling, feedback: body.feedback, reminderShare: body.reminderShare };
    // Only the calendar is needed to check the policy; it may have changed since the last request.
    const calendar = new WorkCalendar(await timeRepo.listCalendarDays(ctx.db));
    const problem = policyProblem(calendar, policy, typicalArrivals(new Date()));
    if (problem) throw new AppError(400, 'INCONSISTENT_POLICY', `signFor: ${problem}`, { field: 'signFor' });
    await timeRepo.upsertSlaPolicy(ctx.db, body.categoryId, body.urgency, policy, request.actor.id);
    request.log.info({ categoryId: body.categoryId, urgency: body.urgency, by: request.actor.id }, 'SLA policy set');
    const saved = (await listPolicies()).find((p) => (p.category?.id ?? null) === body.categoryId && p.urgency === body.urgency);
    if (!saved) throw new Error('SLA policy not found after upsert');
    return saved;
  });

  app.delete('/sla-policies/:categoryId/:urgency', {
    schema: {
      tags: ['time'], operationId: 'deleteSlaPolicy',
      summary: '删除分类单独标准（管理员）· Remove a category\'s own policy (admins)',
      description: '该分类恢复使用该紧急程度的默认标准。默认标准不能删除（409 SLA_DEFAULT_NOT_DELETABLE，可修改）。'
        + ' The category falls back to the urgency\'s default. The defaults themselves cannot be deleted (409 SLA_DEFAULT_NOT_DELETABLE when'
        + ` categoryId is \`default\`); change them with PUT. ${APPLIES}`,
      params: Type.Object({
        categoryId: Type.String({ description: '分类 id (uuid); `default` names the urgency default, which cannot be deleted' }),
        urgency: literalUnion(URGENCIES, '紧急程度 Urgency'),
      }),
      response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(400, 403, 404, 409) },
    },
  }, async (request, reply) => {
    requireRole(request.actor.role, WRITE_ROLES, 'Changing the SLA policies');
    const { categoryId, urgency } = request.params;
    if (['default', 'null', '*'].includes(categoryId)) {
      throw new AppError(409, 'SLA_DEFAULT_NOT_DELETABLE', `The default policy of urgency ${urgency} cannot be deleted; change it with PUT /sla-policies`);
    }
    if (!UUID_PATTERN.test(categoryId)) {
      throw errors.invalidField('categoryId', 'must be an id (uuid), or `default`');
    }
    if (!(await timeRepo.deleteCategorySlaPolicy(ctx.db, categoryId.toLowerCase(), urgency))) {
      throw new AppError(404, 'SLA_POLICY_NOT_FOUND', `Category ${categoryId} has no policy of its own for urgency ${urgency}`);
    }
    request.log.info({ categoryId, urgency, by: request.actor.id }, 'SLA policy removed');
    return reply.status(204).send(null);
  });

  // ---- preview -------------------------------------------------------------------------------

  app.get('/deadlines/preview', {
    schema: {
      tags: ['time'], operationId: 'previewDeadlines',
      summary: '时限试算：按现行日历与标准计算各时限 · Deadlines from a moment, with the calendar and policies in force',
      description: '从 `from`（默认现在）起算：签收时限、办理时限、催办提醒、超期通报（办理时限后 5 个工作日），以及假如此刻办结的回访时限。'
        + ' From `from` (default now): the sign-for and handling deadlines, the 催办 reminder, the 通报 to leaders (5 working days after the'
        + ' handling deadline) and the feedback deadline if the work were completed at `from`. Uses the rules as stored now, like the worker'
        + ' (which caches them for about 5 s). Any staff role may read.',
      querystring: Type.Object({
        urgency: Type.Optional(literalUnion(URGENCIES, '紧急程度 Urgency; default normal')),
        categoryId: Type.Optional(Type.Union([Uuid('分类 id: its own policy if any, else the default'), Type.Literal('')])),
        from: Type.Optional(Type.String({ format: 'date-time', description: '起算时刻 ISO 8601 with offset, e.g. 2026-02-27T10:00:00+08:00; default now' })),
      }, { additionalProperties: false }),
      response: { 200: Preview, ...errorResponses(400, 403) },
    },
  }, async (request) => {
    requireRole(request.actor.role, READ_ROLES, 'Previewing deadlines');
    const urgency: Urgency = request.query.urgency ?? 'normal';
    const categoryId = request.query.categoryId ? request.query.categoryId.toLowerCase() : null;
    const from = request.query.from ? new Date(request.query.from) : new Date();
    if (Number.isNaN(from.getTime())) throw errors.invalidField('from', 'must be an ISO 8601 date-time');
    const category = categoryId ? await ctx.reference.category(categoryId) : null;
    if (categoryId && !category) throw errors.unknownCategory('categoryId');

    // The rules as timeRepo.loadDeadlineRules builds them; the policy rows also tell where the policy comes from.
    const [days, policies] = await Promise.all([timeRepo.listCalendarDays(ctx.db), timeRepo.listSlaPolicies(ctx.db)]);
    const rules = new DeadlineRules(new WorkCalendar(days), policies);
    const scopes = policies.filter((p) => p.urgency === urgency);
    const policySource = categoryId && scopes.some((s) => s.categoryId === categoryId) ? 'category' as const
      : scopes.some((s) => s.categoryId === null) ? 'default' as const : 'builtin' as const;
    const policy = rules.policyFor(categoryId, urgency);
    const signFor = rules.due('sign_for', categoryId, urgency, from);
    const handling = rules.due('handling', categoryId, urgency, from);
    const reminder = rules.reminder(categoryId, urgency, from, handling);
    const escalation = rules.escalation(handling.dueAt);
    const feedback = rules.due('feedback', categoryId, urgency, from);
    const item = (kind: (typeof PREVIEW_KINDS)[number], d: { dueAt: Date; basis: 'clock' | 'working' }) => ({ kind, dueAt: d.dueAt.toISOString(), basis: d.basis });
    return {
      from: from.toISOString(), urgency, category: category ? categoryRef(category) : null, policySource,
      policy: { ...policy, reminderShare: share(policy.reminderShare) },
      deadlines: [
        item('sign_for', signFor), item('handling_reminder', reminder), item('handling', handling),
        item('handling_escalation', escalation), item('feedback', feedback),
      ],
    };
  });
};
