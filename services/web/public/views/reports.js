// 统计报表 (leaders, the supervision office, admins): for a period (日/周/月/年/自定义) and an
// optional district,
//   办理指标  GET /reports/summary    measures grouped by unit, street, community, category or channel
//   综合排名  GET /reports/ranking    rank, previous rank, score and the classes 先进/进步/整改/治理
//   月度趋势  GET /reports/trend      a chart (ECharts, loaded on this page only) and the same as a table
//   热点问题  GET /reports/hot-issues the top category × street clusters and their growth
//   超期件    GET /reports/overdue    open work past its deadline (now, whatever the period)
// Each section downloads as CSV or XLSX: the same endpoint with format= and lang=. The ranking's
// note states the classes' figures from GET /reports/settings and links to 统计口径 (#/admin/report-settings).
// The choices live in the hash (#/reports?period=&date=&from=&to=&districtId=&groupBy=&rankBy=&months=),
// written with replaceState so changing them reloads the sections, not the page.
import { h, mount, options, toast } from '../lib/dom.js';
import { getLang, t } from '../i18n.js';
import { api, API_BASE, ApiError, downloadFile, errorText } from '../lib/api.js';
import { childrenOf, displayName, districts, ref } from '../lib/reference.js';
import { getIdentity } from '../lib/identity.js';
import { beijingToday, formatTime, percentOf } from '../lib/format.js';
import { clearFieldErrors, errorBanner, field, focusFirstError, loadingLine, setFieldError, tableHead } from '../lib/ui.js';

const PERIODS = ['day', 'week', 'month', 'year', 'custom'];
const GROUPINGS = ['unit', 'street', 'community', 'category', 'channel'];
const RANK_BY = ['street', 'unit'];
const TREND_MONTHS = [6, 12, 24, 36];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const OVERDUE_LIMIT = 100;
/** The API's limit on a custom period (both days included). */
const MAX_CUSTOM_DAYS = 731;
const HOT_LIMIT = 10;

// ---------------------------------------------------------------------------------------------
// Formatting

const none = () => t('common.none');
const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
/** A fraction (0–1) as 87.5%. */
const pct = (x) => (isNum(x) ? `${(x * 100).toFixed(1)}%` : none());
/** A 0–100 score as 87.5. */
const score = (x) => (isNum(x) ? x.toFixed(1) : none());
const count = (n) => (isNum(n) ? n.toLocaleString(getLang() === 'en' ? 'en' : 'zh-CN') : none());
/** Seconds as minutes, hours (under two days) or days (a time taken, or how long past due). */
function duration(sec) {
  if (!isNum(sec)) return none();
  if (sec < 60) return t('duration.lessThanMinute');
  if (sec < 3600) return t('reports.minutes', { n: Math.round(sec / 60) });
  if (sec < 48 * 3600) return t('reports.hours', { n: (sec / 3600).toFixed(1) });
  return t('reports.days', { n: (sec / 86400).toFixed(1) });
}
const nameIn = (zh, en) => (getLang() === 'en' && en ? en : zh);
const apiLang = () => (getLang() === 'en' ? 'en' : 'zh');

// ---------------------------------------------------------------------------------------------
// Choices

function validDate(s) {
  if (!DATE_RE.test(s ?? '')) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function choicesFrom(query) {
  const pick = (key, list, fallback) => (list.includes(query.get(key)) ? query.get(key) : fallback);
  const date = validDate(query.get('date')) ? query.get('date') : beijingToday();
  const months = Number(query.get('months'));
  let from = query.get('from') ?? '';
  let to = query.get('to') ?? '';
  // A custom period without usable dates: the month so far.
  if (!validDate(from) || !validDate(to) || to < from) {
    from = `${date.slice(0, 8)}01`;
    to = date;
  }
  return {
    period: pick('period', PERIODS, 'month'),
    date,
    from,
    to,
    districtId: query.get('districtId') ?? '',
    groupBy: pick('groupBy', GROUPINGS, 'street'),
    rankBy: pick('rankBy', RANK_BY, 'street'),
    months: TREND_MONTHS.includes(months) ? months : 12,
  };
}

function writeHash(c) {
  const q = periodParams(c);
  q.set('groupBy', c.groupBy);
  q.set('rankBy', c.rankBy);
  q.set('months', String(c.months));
  history.replaceState(null, '', `#/reports?${q}`);
}

/** The period part of a query: period, date or from/to, districtId. */
function periodParams(c) {
  const q = new URLSearchParams({ period: c.period });
  if (c.period === 'custom') {
    q.set('from', c.from);
    q.set('to', c.to);
  } else {
    q.set('date', c.date);
  }
  if (c.districtId) q.set('districtId', c.districtId);
  return q;
}

/** Districts to choose from: a district's leader has theirs, a city's leader the city's, others all. */
function districtChoices() {
  const me = getIdentity();
  if (me.role === 'leader' && me.unitId) {
    const own = ref.unitById.get(me.unitId);
    if (own?.kind === 'district') return [own];
    if (own?.kind === 'city') return childrenOf(own.id, 'district');
  }
  return districts();
}

// ---------------------------------------------------------------------------------------------
// Sections

const SECTIONS = [
  {
    id: 'summary', path: '/reports/summary', title: 'reports.summary',
    params: (c) => { const q = periodParams(c); q.set('groupBy', c.groupBy); return q; },
    render: summaryTable,
  },
  {
    id: 'ranking', path: '/reports/ranking', title: 'reports.ranking', extra: (settings) => rankingNote(settings),
    params: (c) => { const q = periodParams(c); q.set('groupBy', c.rankBy); return q; },
    render: rankingTable,
    control: (c, onchange) => sectionSelect('rp-rank-by', t('reports.rankBy'),
      RANK_BY.map((g) => ({ value: g, label: t(`reports.group.${g}`) })), c.rankBy, (v) => onchange({ rankBy: v })),
  },
  {
    id: 'trend', path: '/reports/trend', title: 'reports.trend',
    params: (c) => {
      const q = new URLSearchParams({ date: c.period === 'custom' ? c.to : c.date, months: String(c.months) });
      if (c.districtId) q.set('districtId', c.districtId);
      return q;
    },
    render: trendView,
    control: (c, onchange) => sectionSelect('rp-months', t('reports.months'),
      TREND_MONTHS.map((n) => ({ value: String(n), label: t('reports.monthsOption', { n }) })), String(c.months), (v) => onchange({ months: Number(v) })),
  },
  {
    id: 'hot', path: '/reports/hot-issues', title: 'reports.hot', note: 'reports.hotNote',
    params: (c) => { const q = periodParams(c); q.set('limit', String(HOT_LIMIT)); return q; },
    render: hotTable,
  },
  {
    id: 'overdue', path: '/reports/overdue', title: 'reports.overdue', note: 'reports.overdueNote',
    params: (c) => {
      const q = new URLSearchParams({ limit: String(OVERDUE_LIMIT) });
      if (c.districtId) q.set('districtId', c.districtId);
      return q;
    },
    render: overdueTable,
  },
];

function sectionSelect(id, text, items, selected, onpick) {
  return h('span', { class: 'report-section-control' },
    h('label', { for: id }, text),
    h('select', { id, onchange: (e) => onpick(e.target.value) }, options(items, selected)));
}

export async function renderReports(root, ctx, query) {
  disposeChart();
  const c = choicesFrom(query);
  const body = h('div', { class: 'reports-body' });
  const periodLine = h('p', { class: 'report-period', 'aria-live': 'polite' });
  let blocked = false;
  // 统计口径 (the ranking's shares and counts): read once per page; the ranking works without it.
  const settings = api('/reports/settings').then((r) => r.data, () => null);

  /** A refusal (403) holds for every section: one banner for the page instead of five. */
  const fail = (slot, err) => {
    if (!ctx.alive() || blocked) return;
    if (err instanceof ApiError && err.status === 403) {
      blocked = true;
      disposeChart();
      mount(body, refusedBanner(err));
      return;
    }
    // A period or district the API refuses: said at the control too.
    const target = err instanceof ApiError ? choiceField(err) : null;
    if (target) setFieldError(controls, target, errorText(err));
    mount(slot, errorBanner(err, t('reports.loadFailed')));
  };

  const sections = SECTIONS.map((s) => {
    const slot = h('div', { class: 'report-section-body' });
    const status = h('div', { class: 'report-download-status', 'aria-live': 'polite' });
    const sec = { ...s, slot, status, seq: 0 };
    const buttons = ['csv', 'xlsx'].map((format) => h('button', {
      type: 'button', class: 'btn btn-small', 'data-format': format, 'data-section': s.id,
      'aria-label': t('reports.downloadAs', { what: t(s.title), format: format.toUpperCase() }),
      onclick: (e) => void download(sec, format, e.currentTarget),
    }, format.toUpperCase()));
    sec.el = h('section', { class: 'card report-section', id: `report-${s.id}`, 'aria-labelledby': `report-${s.id}-title` },
      h('div', { class: 'card-head report-section-head' },
        h('h2', { id: `report-${s.id}-title` }, t(s.title)),
        h('div', { class: 'report-section-tools' },
          s.control ? s.control(c, (patch) => { Object.assign(c, patch); writeHash(c); void loadSection(sec); }) : null,
          h('span', { class: 'report-downloads', role: 'group', 'aria-label': t('reports.download') },
            h('span', { class: 'muted small', 'aria-hidden': 'true' }, t('reports.download')), buttons))),
      s.note ? h('p', { class: 'hint report-note' }, t(s.note)) : null,
      s.extra ? s.extra(settings) : null,
      status,
      slot);
    return sec;
  });

  async function loadSection(sec) {
    const mine = ++sec.seq;
    mount(sec.status);
    mount(sec.slot, loadingLine());
    if (sec.id === 'trend') disposeChart();
    try {
      const [{ data }, rules] = await Promise.all([api(`${sec.path}?${sec.params(c)}`), settings]);
      if (!ctx.alive() || mine !== sec.seq || blocked) return;
      mount(sec.slot, sec.render(data, c, rules));
      if (sec.id === 'summary') mount(periodLine, periodText(data.period));
      if (sec.id === 'trend') void drawTrend(sec.slot.querySelector('.report-chart'), data.points);
    } catch (err) {
      if (mine === sec.seq) fail(sec.slot, err);
    }
  }

  function loadAll() {
    mount(periodLine);
    for (const sec of sections) void loadSection(sec);
  }

  async function download(sec, format, button) {
    const q = sec.params(c);
    q.set('format', format);
    q.set('lang', apiLang());
    mount(sec.status);
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const name = await downloadFile(`${sec.path}?${q}`, `${sec.id}.${format}`);
      if (ctx.alive()) toast(t('reports.downloaded', { name }), 'success');
    } catch (err) {
      if (!ctx.alive()) return;
      if (err instanceof ApiError && err.status === 403) fail(sec.slot, err);
      else mount(sec.status, errorBanner(err, t('reports.downloadFailed')));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  const controls = controlsForm(c, () => {
    if (blocked) return;
    writeHash(c);
    loadAll();
  });

  mount(root,
    h('div', { class: 'page-head' },
      h('h1', { tabindex: '-1' }, t('reports.heading')),
      h('p', { class: 'lead' }, t('reports.lead'))),
    h('section', { class: 'card report-controls-card', 'aria-label': t('reports.controls') }, controls, periodLine),
    body);
  mount(body, sections.map((s) => s.el));
  loadAll();
}

function periodText(p) {
  if (!p) return '';
  return t('reports.periodLine', { from: p.from, to: p.to, pfrom: p.previous.from, pto: p.previous.to });
}

/**
 * Why the reports are refused, in the UI's language (a role that may not read them never gets
 * here: the router says so in the page's place). The API's own words only as a detail.
 */
export function refusedBanner(err, title = t('reports.refused.title')) {
  return errorBanner(err, title, err.code === 'REPORT_SCOPE_UNSUPPORTED' ? t('reports.refused.scope') : errorText(err));
}

/** The report control an API error is about: the period's dates or the district. */
function choiceField(err) {
  if (err.code === 'INVALID_PERIOD') return { date: 'rp-date', from: 'rp-from', to: 'rp-to' }[err.field] ?? 'rp-date';
  if (err.code === 'UNKNOWN_DISTRICT' || err.code === 'UNIT_NOT_FOUND' || err.field === 'districtId') return 'rp-district';
  return null;
}

/** The ranking's note: what the classes mean, the figures in force, a link to 统计口径. */
function rankingNote(settings) {
  const figures = h('span', { class: 'report-note-figures' });
  void settings.then((s) => {
    const r = s?.ranking;
    if (!r) return;
    const text = t('reports.rankingNoteFigures', {
      advanced: String(percentOf(r.advancedShare)), rectify: String(percentOf(r.rectifyShare)), rise: r.improvedMinRise, governance: r.governanceCount,
    });
    figures.textContent = ` ${text}${isNum(r.minReceived) ? t('reports.rankingNoteMin', { min: r.minReceived }) : ''}`;
  });
  return h('p', { class: 'hint report-note', id: 'report-ranking-note' },
    t('reports.rankingNoteBefore'),
    h('a', { href: '#/admin/report-settings', id: 'report-settings-link' }, t('reports.rankingNoteLink')),
    t('reports.rankingNoteAfter'),
    figures);
}

// ---------------------------------------------------------------------------------------------
// Controls: period, date or from/to, district, grouping

function controlsForm(c, apply) {
  const period = h('select', { id: 'rp-period' }, options(PERIODS.map((p) => ({ value: p, label: t(`reports.period.${p}`) })), c.period));
  const date = h('input', { id: 'rp-date', type: 'date', value: c.date, required: true });
  const from = h('input', { id: 'rp-from', type: 'date', value: c.from });
  const to = h('input', { id: 'rp-to', type: 'date', value: c.to });
  const district = h('select', { id: 'rp-district' },
    options(districtChoices().map((d) => ({ value: d.id, label: displayName(d) })), c.districtId, t('reports.allDistricts')));
  const group = h('select', { id: 'rp-group' }, options(GROUPINGS.map((g) => ({ value: g, label: t(`reports.group.${g}`) })), c.groupBy));

  const dateField = field({ id: 'rp-date', label: t('reports.date'), control: date, hint: t(`reports.dateHint.${c.period === 'custom' ? 'month' : c.period}`) });
  const fromField = field({ id: 'rp-from', label: t('reports.from'), control: from });
  const toField = field({ id: 'rp-to', label: t('reports.to'), control: to, hint: t('reports.customHint') });
  const hintOf = dateField.querySelector('.hint');

  const showKind = () => {
    const custom = period.value === 'custom';
    dateField.hidden = custom;
    fromField.hidden = !custom;
    toField.hidden = !custom;
    if (!custom && hintOf) hintOf.textContent = t(`reports.dateHint.${period.value}`);
  };

  /** Read the controls into `c`; false (with the errors shown when `loud`) when the dates are not usable. */
  const read = (loud) => {
    clearFieldErrors(form);
    const next = { period: period.value, date: date.value, from: from.value, to: to.value, districtId: district.value, groupBy: group.value };
    const problems = [];
    if (next.period === 'custom') {
      if (!validDate(next.from)) problems.push(['rp-from', t('reports.dateMissing')]);
      if (!validDate(next.to)) problems.push(['rp-to', t('reports.dateMissing')]);
      else if (validDate(next.from) && next.to < next.from) problems.push(['rp-to', t('reports.rangeInvalid')]);
      else if (validDate(next.from) && (Date.parse(next.to) - Date.parse(next.from)) / 86_400_000 + 1 > MAX_CUSTOM_DAYS) {
        problems.push(['rp-to', t('reports.rangeTooLong', { n: MAX_CUSTOM_DAYS })]);
      }
    } else if (!validDate(next.date)) {
      problems.push(['rp-date', t('reports.dateMissing')]);
    }
    if (problems.length) {
      if (loud) {
        for (const [id, msg] of problems) setFieldError(form, id, msg);
        focusFirstError(form);
      }
      return false;
    }
    Object.assign(c, next);
    return true;
  };

  const quietApply = () => { if (read(false)) apply(); };
  period.addEventListener('change', () => {
    showKind();
    // A custom period starts as the chosen date's month up to that date.
    if (period.value === 'custom' && validDate(date.value)) {
      from.value = `${date.value.slice(0, 8)}01`;
      to.value = date.value;
    }
    quietApply();
  });
  for (const el of [date, from, to, district, group]) el.addEventListener('change', quietApply);

  const form = h('form', {
    class: 'report-controls', novalidate: true,
    onsubmit: (e) => { e.preventDefault(); if (read(true)) apply(); },
  },
  field({ id: 'rp-period', label: t('reports.period'), control: period }),
  dateField, fromField, toField,
  field({ id: 'rp-district', label: t('reports.district'), control: district }),
  field({ id: 'rp-group', label: t('reports.groupBy'), control: group }),
  h('div', { class: 'field report-run' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'rp-run' }, t('reports.run'))));
  showKind();
  return form;
}

// ---------------------------------------------------------------------------------------------
// Tables

const num = (text, cls) => h('td', { class: `num${cls ? ` ${cls}` : ''}` }, text);
const empty = (key = 'reports.empty') => h('p', { class: 'empty muted' }, t(key));

/** The measure columns in groups (件数, 比率, 得分, 当前, 用时), each group shown one way. */
const SUMMARY_GROUPS = [
  { key: 'counts', fmt: count, keys: ['received', 'dispatched', 'awaitingSignFor', 'completed', 'rated', 'noFeedback'] },
  { key: 'rates', fmt: pct, keys: ['responseRate', 'onTimeRate', 'resolutionRate', 'satisfactionRate', 'returnRate', 'redoRate'] },
  { key: 'score', fmt: score, keys: ['satisfactionScore', 'compositeScore'] },
  { key: 'now', fmt: count, keys: ['open', 'overdue'] },
  { key: 'times', fmt: duration, keys: ['meanTimeToSign', 'p90TimeToSign', 'meanTimeToComplete', 'p90TimeToComplete'] },
].map((g) => ({ key: g.key, cols: g.keys.map((k) => [k, (m) => g.fmt(m[k])]) }));
/** Every measure column in order; `start` marks the first of a group (a divider before it). */
const SUMMARY_COLS = SUMMARY_GROUPS.flatMap((g) => g.cols.map(([key, fmt], i) => ({ key, fmt, start: i === 0 })));
/** The definitions under the table, in the columns' order. */
const DEFINITIONS = ['received', 'dispatched', 'awaitingSignFor', 'completed', 'rated', 'noFeedback', 'responseRate', 'onTimeRate',
  'resolutionRate', 'satisfactionRate', 'returnRate', 'redoRate', 'satisfactionScore', 'compositeScore', 'now', 'times'];
/** The column a definition explains (the header's tooltip). */
const definitionOf = (key) => {
  if (DEFINITIONS.includes(key)) return t(`reports.def.${key}`);
  if (key === 'open' || key === 'overdue') return t('reports.def.now');
  return /TimeTo/.test(key) ? t('reports.def.times') : null;
};

function measureCells(m) {
  return SUMMARY_COLS.map(({ key, fmt, start }) => {
    const cls = [
      key === 'overdue' && m.overdue > 0 ? 'overdue' : null,
      key === 'compositeScore' ? 'report-score' : null,
      start ? 'group-start' : null,
    ].filter(Boolean).join(' ');
    return num(fmt(m), cls || null);
  });
}

/** Two header rows: the groups, then the measures (each with its definition as a tooltip). */
function summaryHead(groupBy) {
  return h('thead', null,
    h('tr', { class: 'report-groups' },
      h('th', { scope: 'col', rowspan: '2', class: 'report-rowhead' }, t(`reports.group.${groupBy}`)),
      SUMMARY_GROUPS.map((g) => h('th', { scope: 'colgroup', colspan: String(g.cols.length), class: 'group-start' }, t(`reports.colGroup.${g.key}`)))),
    h('tr', null, SUMMARY_COLS.map(({ key, start }) => h('th', {
      scope: 'col', class: `num${start ? ' group-start' : ''}`, title: definitionOf(key),
    }, t(`reports.col.${key}`)))));
}

function summaryTable(data) {
  return h('div', null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table report-table report-summary' },
      h('colgroup', null, h('col', { class: 'report-rowhead-col' })),
      SUMMARY_GROUPS.map((g) => h('colgroup', { span: String(g.cols.length) })),
      summaryHead(data.groupBy),
      h('tbody', null, data.rows.map((r) => h('tr', { 'data-key': r.key },
        h('th', { scope: 'row' }, displayName(r)),
        measureCells(r.measures)))),
      h('tfoot', null, h('tr', { class: 'report-total' },
        h('th', { scope: 'row' }, t('reports.total')),
        measureCells(data.total))))),
    data.rows.length === 0 ? empty() : null,
    h('details', { class: 'report-defs' },
      h('summary', null, t('reports.defs')),
      h('ul', null, DEFINITIONS.map((k) => h('li', null, t(`reports.def.${k}`))))));
}

function move(rank, previous) {
  if (!isNum(rank) || !isNum(previous)) return h('td', { class: 'num muted' }, none());
  const d = previous - rank;
  if (d === 0) return h('td', { class: 'num muted' }, '0');
  return h('td', { class: `num ${d > 0 ? 'move-up' : 'move-down'}`, title: t(d > 0 ? 'reports.moveUp' : 'reports.moveDown', { n: Math.abs(d) }) },
    `${d > 0 ? '↑' : '↓'}${Math.abs(d)}`);
}

/** Why a row has no rank: too few requests (统计口径 minReceived) or nothing to score. */
function unrankedReason(r, settings) {
  const min = settings?.ranking?.minReceived;
  if (isNum(min) && r.received < min) return t('reports.unrankedFew', { n: min });
  if (!isNum(r.score)) return t('reports.unrankedNoScore');
  return null;
}

function rankingTable(data, _c, settings) {
  if (data.rows.length === 0) return empty();
  const cols = [
    { key: 'reports.col.rank', num: true }, { key: 'reports.col.previousRank', num: true }, { key: 'reports.col.move', num: true },
    { key: `reports.group.${data.groupBy}` }, { key: 'reports.col.compositeScore', num: true }, { key: 'reports.col.received', num: true },
    { key: 'reports.col.responseRate', num: true }, { key: 'reports.col.resolutionRate', num: true }, { key: 'reports.col.satisfactionRate', num: true },
    { key: 'reports.col.classes' },
  ];
  const classes = (r) => {
    const badges = r.classes.map((k) => h('span', { class: `badge rank-class rank-${k}` }, t(`reports.class.${k}`)));
    if (isNum(r.rank)) return badges;
    const why = unrankedReason(r, settings);
    return [h('span', { class: 'report-unranked muted', title: why }, t('reports.unranked'), why ? h('span', { class: 'sr-only' }, `: ${why}`) : null), badges];
  };
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table report-table report-ranking' },
    tableHead(cols),
    h('tbody', null, data.rows.map((r) => h('tr', { 'data-key': r.key, class: isNum(r.rank) ? null : 'is-unranked' },
      num(isNum(r.rank) ? String(r.rank) : none(), 'report-rank'),
      num(isNum(r.previousRank) ? String(r.previousRank) : none(), 'muted'),
      move(r.rank, r.previousRank),
      h('th', { scope: 'row' }, displayName(r)),
      num(score(r.score), 'report-score'),
      num(count(r.received)),
      num(pct(r.responseRate)),
      num(pct(r.resolutionRate)),
      num(pct(r.satisfactionRate)),
      h('td', { class: 'report-classes' }, classes(r)))))));
}

function trendView(data) {
  const cols = [
    { key: 'reports.col.month' }, { key: 'reports.col.received', num: true }, { key: 'reports.col.responseRate', num: true },
    { key: 'reports.col.resolutionRate', num: true }, { key: 'reports.col.satisfactionRate', num: true },
    { key: 'reports.col.onTimeRate', num: true }, { key: 'reports.col.compositeScore', num: true },
  ];
  return h('div', null,
    h('div', { class: 'report-chart', role: 'img', 'aria-label': t('reports.chartLabel', { from: data.from.slice(0, 7), to: data.to.slice(0, 7) }) }),
    h('p', { class: 'hint report-chart-status', 'aria-live': 'polite' }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table report-table report-trend' },
      h('caption', { class: 'sr-only' }, t('reports.trendTable')),
      tableHead(cols),
      h('tbody', null, data.points.map((p) => h('tr', { 'data-month': p.month },
        h('th', { scope: 'row' }, p.month),
        num(count(p.measures.received)),
        num(pct(p.measures.responseRate)),
        num(pct(p.measures.resolutionRate)),
        num(pct(p.measures.satisfactionRate)),
        num(pct(p.measures.onTimeRate)),
        num(score(p.measures.compositeScore))))))));
}

function growth(item) {
  if (isNum(item.growth)) {
    if (item.growth === 0) return h('td', { class: 'num muted' }, '0.0%');
    const up = item.growth > 0;
    return h('td', { class: `num ${up ? 'growth-up' : 'growth-down'}` }, `${up ? '↑' : '↓'} ${(Math.abs(item.growth) * 100).toFixed(1)}%`);
  }
  return item.received > 0 ? h('td', { class: 'num growth-new' }, t('reports.new')) : h('td', { class: 'num muted' }, none());
}

function hotTable(data) {
  if (data.items.length === 0) return empty();
  const cols = [
    { key: 'reports.col.no', num: true }, { key: 'reports.col.category' }, { key: 'reports.col.street' },
    { key: 'reports.col.received', num: true }, { key: 'reports.col.previous', num: true }, { key: 'reports.col.growth', num: true },
  ];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table report-table report-hot' },
    tableHead(cols),
    h('tbody', null, data.items.map((it, i) => h('tr', { 'data-category': it.categoryId },
      num(String(i + 1), 'muted'),
      h('th', { scope: 'row' }, nameIn(it.category, it.categoryEn)),
      h('td', null, nameIn(it.street, it.streetEn)),
      num(count(it.received)),
      num(count(it.previous), 'muted'),
      growth(it))))));
}

/** Seconds past due at the API's `asOf`: exact from the times, else from the rounded overdueHours. */
function overdueSeconds(item, asOf) {
  const ms = Date.parse(asOf) - Date.parse(item.dueAt);
  if (Number.isFinite(ms)) return Math.max(0, ms / 1000);
  return isNum(item.overdueHours) ? item.overdueHours * 3600 : null;
}

function overdueTable(data) {
  const summary = h('p', { class: 'report-overdue-total' },
    t('reports.overdueTotal', { total: count(data.total), at: formatTime(data.asOf) }),
    data.total > data.items.length ? t('reports.overdueShown', { n: data.items.length }) : '');
  if (data.items.length === 0) return h('div', null, summary, empty('reports.overdueEmpty'));
  const cols = [
    { key: 'reports.col.trackingNo' }, { key: 'reports.col.title' }, { key: 'reports.col.category' }, { key: 'reports.col.unit' },
    { key: 'reports.col.step' }, { key: 'reports.col.due' }, { key: 'reports.col.overdueFor', num: true },
  ];
  return h('div', null, summary,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table report-table report-overdue' },
      tableHead(cols),
      h('tbody', null, data.items.map((it) => h('tr', { 'data-petition': it.petitionId },
        h('td', { class: 'nowrap' }, h('a', { href: `#/petition/${it.petitionId}`, class: 'mono' }, it.trackingNo)),
        h('td', { class: 'cell-title' }, it.title),
        h('td', null, nameIn(it.category, it.categoryEn)),
        h('td', null, nameIn(it.unit, it.unitEn)),
        h('td', { class: 'nowrap' }, h('span', { class: `tag report-step step-${it.step}` }, t(`reports.step.${it.step}`))),
        h('td', { class: 'nowrap' }, h('time', { datetime: it.dueAt }, formatTime(it.dueAt))),
        num(duration(overdueSeconds(it, data.asOf)), 'overdue')))))));
}

// ---------------------------------------------------------------------------------------------
// The trend chart: ECharts from /vendor/echarts.min.js, fetched the first time it is needed.

let echartsLoading = null;
/** The chart on screen (one page, one chart): disposed when the page or the trend is drawn again. */
let chart = null;

function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  echartsLoading ??= new Promise((resolve, reject) => {
    const script = h('script', { src: `${API_BASE}/vendor/echarts.min.js`, async: true, 'data-vendor': 'echarts' });
    script.addEventListener('load', () => (window.echarts ? resolve(window.echarts) : reject(new Error('echarts missing'))));
    script.addEventListener('error', () => {
      echartsLoading = null;
      script.remove();
      reject(new Error('echarts not loaded'));
    });
    document.head.appendChild(script);
  });
  return echartsLoading;
}

function disposeChart() {
  if (chart && !chart.isDisposed()) chart.dispose();
  chart = null;
}

window.addEventListener('resize', () => {
  if (!chart || chart.isDisposed()) return;
  if (!chart.getDom().isConnected) disposeChart();
  else chart.resize();
});

async function drawTrend(el, points) {
  if (!el) return;
  const status = el.parentElement?.querySelector('.report-chart-status');
  let echarts;
  try {
    echarts = await loadECharts();
  } catch {
    if (status) status.textContent = t('reports.chartFailed');
    el.hidden = true;
    return;
  }
  if (!el.isConnected) return;
  disposeChart();
  chart = echarts.init(el, null, { renderer: 'canvas', locale: getLang() === 'en' ? 'EN' : 'ZH' });
  const rate = (x) => (isNum(x) ? percentOf(x) : null);
  const rateTip = { valueFormatter: (v) => (isNum(v) ? `${v.toFixed(1)}%` : none()) };
  const line = (key, values, extra) => ({
    name: t(`reports.col.${key}`), type: 'line', data: values, symbolSize: 6, connectNulls: false, ...extra,
  });
  chart.setOption({
    // Drawn on the canvas, tooltip included (renderMode richText): no HTML with inline styles, which the CSP refuses.
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    color: ['#1d4ed8', '#15803d', '#b45309', '#6d28d9'],
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    legend: { top: 0 },
    grid: { left: 16, right: 16, top: 48, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: points.map((p) => p.month), boundaryGap: false },
    yAxis: [
      { type: 'value', name: t('reports.col.received'), minInterval: 1, splitLine: { lineStyle: { color: '#eef0f4' } } },
      { type: 'value', name: t('reports.rateAxis'), min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      line('received', points.map((p) => p.measures.received), { yAxisIndex: 0, areaStyle: { opacity: 0.08 }, tooltip: { valueFormatter: (v) => count(v) } }),
      line('responseRate', points.map((p) => rate(p.measures.responseRate)), { yAxisIndex: 1, tooltip: rateTip }),
      line('resolutionRate', points.map((p) => rate(p.measures.resolutionRate)), { yAxisIndex: 1, tooltip: rateTip }),
      line('satisfactionRate', points.map((p) => rate(p.measures.satisfactionRate)), { yAxisIndex: 1, tooltip: rateTip }),
    ],
  });
}
