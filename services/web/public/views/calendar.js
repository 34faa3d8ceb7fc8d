// 工作日历: the exceptions to the Monday–Friday rule for one year (GET /calendar?year=), as a
// list and a month grid; administrators add, change and remove days (PUT / DELETE /calendar/:date).
//
// Whether a day can be an exception follows from its weekday: Monday to Friday only as a day off
// (放假), Saturday and Sunday only as a make-up working day (调休上班). The form derives the type
// from the date instead of offering a choice the API would refuse (NOT_AN_EXCEPTION).
import { h, mount, toast } from '../lib/dom.js';
import { getLang, t } from '../i18n.js';
import { api } from '../lib/api.js';
import { beijingToday } from '../lib/format.js';
import { isAdmin } from '../lib/identity.js';
import { confirmDelete, readOnlyHint } from '../lib/admin.js';
import { clearFieldErrors, field, focusFirstError, infoBanner, loadInto, setFieldError, showSaveError, tableHead } from '../lib/ui.js';

/** Years the State Council notices cover in the seeded calendar; the API accepts 2000–2100. */
export const CALENDAR_YEARS = [2025, 2026, 2027];
const NOTE_MAX = 40;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A note in English when every part of it is a known holiday phrase (the State Council's names as
 * the standard calendar writes them); an admin's own wording stays as written.
 */
const NOTE_EN = [
  [/\(法定假日,待国务院办公厅(\d{4})年节假日安排通知发布后替换\)/g, " (statutory holiday; to be replaced once the State Council publishes the $1 schedule)"],
  [/^暂定:/, 'Provisional: '],
  [/调休上班/g, ' make-up working day'],
  [/元旦/g, "New Year's Day"], [/春节/g, 'Spring Festival'], [/清明节/g, 'Qingming Festival'], [/劳动节/g, 'Labour Day'],
  [/端午节/g, 'Dragon Boat Festival'], [/中秋节/g, 'Mid-Autumn Festival'], [/国庆节/g, 'National Day'], [/、/g, ' & '],
];
function noteText(note) {
  if (getLang() !== 'en' || !note) return note;
  const en = NOTE_EN.reduce((s, [re, to]) => s.replace(re, to), note);
  return /[\u3000-\u9fff]/.test(en) ? note : en;
}

/** The form's date and note survive a re-render (language switch, identity switch). */
const draft = { date: '', note: '' };

function weekdayOfDate(date) {
  if (!DATE_RE.test(date)) return null;
  const d = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date ? null : d.getUTCDay();
}
const isWeekend = (wd) => wd === 0 || wd === 6;

function monthName(m) {
  if (getLang() === 'en') return new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)));
  return t('month.label', { n: m });
}

export function calendarHash(year) {
  return `#/admin/calendar?year=${year}`;
}

export async function renderCalendar(root, ctx, query) {
  const thisYear = Number(beijingToday().slice(0, 4));
  const asked = Number.parseInt(query.get('year') ?? '', 10);
  const year = CALENDAR_YEARS.includes(asked) ? asked : CALENDAR_YEARS.includes(thisYear) ? thisYear : CALENDAR_YEARS[CALENDAR_YEARS.length - 1];

  const body = h('div', { class: 'calendar-body' });
  mount(root,
    h('div', { class: 'page-head admin-head' },
      h('div', null,
        h('h1', { tabindex: '-1' }, t('calendar.heading')),
        h('p', { class: 'lead' }, t('calendar.lead'))),
      h('nav', { class: 'year-switch', 'aria-label': t('calendar.year') },
        CALENDAR_YEARS.map((y) => h('a', { href: calendarHash(y), class: 'year-link', 'aria-current': y === year ? 'page' : null }, t('calendar.yearOption', { y }))))),
    body);
  const data = await loadInto(body, ctx, `/calendar?year=${year}`);
  if (!data) return;

  const admin = isAdmin();
  const byDate = new Map(data.days.map((d) => [d.date, d]));
  const reload = () => renderCalendar(root, ctx, query);
  const off = data.days.filter((d) => !d.isWorkday).length;
  const on = data.days.length - off;

  const form = admin ? dayForm(year, byDate, reload) : null;
  const pick = (date) => {
    if (!form) return;
    form.setDate(date);
    form.el.querySelector('#cal-note')?.focus();
  };

  mount(body,
    data.provisional ? h('div', { class: 'banner banner-warn', role: 'status', 'data-testid': 'provisional' }, t('calendar.provisional', { year })) : null,
    data.days.length === 0 ? infoBanner(t('calendar.emptyYear', { year })) : null,
    h('div', { class: 'detail-columns admin-columns' },
      h('div', { class: 'col-main' },
        h('section', { class: 'card', 'aria-labelledby': 'sec-months' },
          h('div', { class: 'card-head' },
            h('h2', { id: 'sec-months' }, t('calendar.months')),
            h('span', { class: 'muted small' }, t('calendar.summary', { off, on }))),
          legend(),
          h('div', { class: 'months' }, Array.from({ length: 12 }, (_, i) => monthGrid(year, i + 1, byDate, admin ? pick : null))),
          admin ? h('p', { class: 'hint' }, t('calendar.clickHint')) : null),
        h('section', { class: 'card', 'aria-labelledby': 'sec-days' },
          h('h2', { id: 'sec-days' }, t('calendar.list'), h('span', { class: 'count' }, String(data.days.length))),
          dayList(data.days, admin ? { pick } : null))),
      h('div', { class: 'col-side' },
        h('section', { class: 'card', 'aria-labelledby': 'sec-day-form' },
          h('h2', { id: 'sec-day-form' }, t('calendar.formAdd')),
          readOnlyHint(),
          form ? form.el : null,
          h('p', { class: 'hint' }, t('time.applies'))))));
}

function legend() {
  const item = (cls, text, mark) => h('span', { class: 'legend-item' }, h('span', { class: `legend-swatch ${cls}`, 'aria-hidden': 'true' }, mark ?? ''), text);
  return h('p', { class: 'cal-legend' },
    item('is-off', t('calendar.legend.off'), t('calendar.mark.off')),
    item('is-on', t('calendar.legend.on'), t('calendar.mark.on')),
    item('is-weekend', t('calendar.legend.weekend')),
    item('is-today', t('calendar.legend.today')));
}

/** One month, Monday first (as Chinese calendars are printed). */
function monthGrid(year, month, byDate, pick) {
  const today = beijingToday();
  const first = new Date(Date.UTC(year, month - 1, 1));
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells = [];
  for (let i = 0; i < lead; i++) cells.push(h('td', { class: 'pad' }));
  for (let day = 1; day <= daysIn; day++) {
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const wd = (lead + day - 1) % 7; // 0 = Monday
    const ex = byDate.get(date);
    const cls = ['day',
      wd >= 5 ? 'is-weekend' : '',
      ex ? (ex.isWorkday ? 'is-on' : 'is-off') : '',
      date === today ? 'is-today' : ''].filter(Boolean).join(' ');
    const mark = ex ? h('span', { class: 'day-mark', 'aria-hidden': 'true' }, t(ex.isWorkday ? 'calendar.mark.on' : 'calendar.mark.off')) : null;
    const what = ex ? `${t(ex.isWorkday ? 'calendar.type.on' : 'calendar.type.off')} · ${noteText(ex.note)}` : '';
    const aria = [date, t(`weekday.${(wd + 1) % 7}`), what].filter(Boolean).join(' ');
    const inner = pick
      ? h('button', { type: 'button', class: 'day-btn', title: what || null, 'aria-label': aria, 'data-date': date, onclick: () => pick(date) }, String(day), mark)
      : h('span', { class: 'day-btn', title: what || null, 'aria-label': aria, 'data-date': date }, String(day), mark);
    cells.push(h('td', { class: cls }, inner));
  }
  while (cells.length % 7 !== 0) cells.push(h('td', { class: 'pad' }));
  const rows = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(h('tr', null, cells.slice(i, i + 7)));
  const heads = [1, 2, 3, 4, 5, 6, 0].map((d) => h('th', { scope: 'col', abbr: t(`weekday.${d}`), class: d === 0 || d === 6 ? 'is-weekend' : null }, t(`weekdayShort.${d}`)));
  return h('div', { class: 'month' },
    h('h3', { class: 'month-name' }, monthName(month)),
    h('table', { class: 'month-grid' }, h('caption', { class: 'sr-only' }, `${year} ${monthName(month)}`),
      h('thead', null, h('tr', null, heads)), h('tbody', null, rows)));
}

function typeTag(isWorkday) {
  return h('span', { class: `tag ${isWorkday ? 'cal-on' : 'cal-off'}` }, t(isWorkday ? 'calendar.type.on' : 'calendar.type.off'));
}

/**
 * The exceptions grouped by note and type (春节 · 放假 · nine days), in date order; every day is a
 * chip that opens it in the form (administrators) or shows its date and weekday.
 */
function dayList(days, actions) {
  if (days.length === 0) return h('p', { class: 'muted empty' }, t('calendar.none'));
  const groups = [];
  const byKey = new Map();
  for (const d of days) {
    const key = `${d.isWorkday}|${d.note}`;
    let g = byKey.get(key);
    if (!g) {
      g = { note: d.note, isWorkday: d.isWorkday, days: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.days.push(d);
  }
  const chip = (d) => {
    const text = `${d.date.slice(5)} ${t(`weekdayShort.${weekdayOfDate(d.date)}`)}`;
    const title = `${d.date} ${t(`weekday.${weekdayOfDate(d.date)}`)}`;
    return actions
      ? h('button', { type: 'button', class: `day-chip ${d.isWorkday ? 'is-on' : 'is-off'}`, title, 'aria-label': `${t('calendar.edit')} ${title} ${noteText(d.note)}`, 'data-date': d.date, onclick: () => actions.pick(d.date) }, text)
      : h('span', { class: `day-chip ${d.isWorkday ? 'is-on' : 'is-off'}`, title, 'data-date': d.date }, text);
  };
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact cal-table' },
    tableHead(['calendar.col.note', 'calendar.col.type', 'calendar.col.date']),
    h('tbody', null, groups.map((g) => h('tr', null,
      h('td', { class: 'cal-note' }, noteText(g.note)),
      h('td', { class: 'nowrap' }, typeTag(g.isWorkday), h('span', { class: 'muted small' }, ` ${t('calendar.dayCount', { n: g.days.length })}`)),
      h('td', null, h('div', { class: 'day-chips' }, g.days.map(chip))))))),
  actions ? h('p', { class: 'hint' }, t('calendar.chipHint')) : null);
}

function removeDay(d, reload) {
  return confirmDelete({
    question: t('calendar.confirmDelete', { date: d.date, note: d.note }),
    path: `/calendar/${d.date}`,
    deleted: t('calendar.deleted', { date: d.date }),
    onDeleted: () => { if (draft.date === d.date) Object.assign(draft, { date: '', note: '' }); },
  }, reload);
}

/** The add / change form: date, the type that date allows, note. Returns { el, setDate }. */
function dayForm(year, byDate, reload) {
  const status = h('div', { class: 'action-status', 'aria-live': 'polite' });
  const dateInput = h('input', { id: 'cal-date', type: 'date', min: '2000-01-01', max: '2100-12-31', value: draft.date, required: true });
  const noteInput = h('input', { id: 'cal-note', type: 'text', maxlength: NOTE_MAX, value: draft.note, autocomplete: 'off', required: true });
  const typeBox = h('div', { class: 'cal-type' });
  const typeHint = h('p', { class: 'hint', id: 'cal-type-hint', 'aria-live': 'polite' });
  /** The chosen type: true = 调休上班, false = 放假, null = no date yet. */
  let chosen = null;
  const existingBox = h('div');
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('calendar.save'));
  const del = h('button', { type: 'button', class: 'btn btn-danger', hidden: true }, t('calendar.delete'));

  const existingFor = (date) => byDate.get(date) ?? null;

  const refresh = () => {
    const date = dateInput.value;
    const wd = weekdayOfDate(date);
    const ex = existingFor(date);
    // A new entry can only be what the weekday is not; an existing one (a Sunday inside the 春节
    // block) may also keep its type. The API refuses anything else (NOT_AN_EXCEPTION).
    const allowed = (isWorkday) => wd !== null && (isWeekend(wd) === isWorkday || ex?.isWorkday === isWorkday);
    if (wd === null) chosen = null;
    else if (chosen === null || !allowed(chosen)) chosen = ex ? ex.isWorkday : isWeekend(wd);
    mount(typeBox, [false, true].map((isWorkday) => h('label', { class: `radio${allowed(isWorkday) ? '' : ' is-disabled'}` },
      h('input', {
        type: 'radio', name: 'cal-type', value: String(isWorkday), checked: chosen === isWorkday, disabled: !allowed(isWorkday),
        'aria-describedby': 'cal-type-hint', onchange: () => { chosen = isWorkday; },
      }),
      h('span', null, t(isWorkday ? 'calendar.type.on' : 'calendar.type.off')))));
    typeHint.textContent = wd === null ? t('calendar.typeHint.none')
      : t(isWeekend(wd) ? 'calendar.typeHint.weekend' : 'calendar.typeHint.weekday', { date, wd: t(`weekday.${wd}`) });
    mount(existingBox, ex ? h('p', { class: 'cal-existing' }, t('calendar.existing', { type: t(ex.isWorkday ? 'calendar.type.on' : 'calendar.type.off'), note: ex.note })) : null);
    del.hidden = !ex;
    draft.date = date;
  };

  const setDate = (date) => {
    dateInput.value = date;
    chosen = null;
    const ex = existingFor(date);
    noteInput.value = ex ? ex.note : '';
    draft.note = noteInput.value;
    clearFieldErrors(form);
    mount(status);
    refresh();
  };

  dateInput.addEventListener('change', () => {
    chosen = null;
    const ex = existingFor(dateInput.value);
    if (ex) noteInput.value = ex.note;
    draft.note = noteInput.value;
    refresh();
  });
  noteInput.addEventListener('input', () => { draft.note = noteInput.value; });

  del.addEventListener('click', () => {
    const ex = existingFor(dateInput.value);
    if (ex) void removeDay(ex, reload);
  });

  const form = h('form', {
    class: 'cal-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      clearFieldErrors(form);
      mount(status);
      const date = dateInput.value;
      const note = noteInput.value.trim();
      let bad = false;
      if (weekdayOfDate(date) === null) { setFieldError(form, 'cal-date', t('calendar.dateRequired')); bad = true; }
      if (!note) { setFieldError(form, 'cal-note', t('calendar.noteRequired')); bad = true; }
      if (note.length > NOTE_MAX) { setFieldError(form, 'cal-note', t('calendar.noteTooLong', { n: NOTE_MAX })); bad = true; }
      if (bad) { focusFirstError(form); return; }
      save.disabled = true;
      try {
        await api(`/calendar/${date}`, { method: 'PUT', body: { isWorkday: chosen ?? isWeekend(weekdayOfDate(date)), note } });
        Object.assign(draft, { date: '', note: '' });
        toast(t('calendar.saved', { date }), 'success');
        const y = Number(date.slice(0, 4));
        if (y !== year && CALENDAR_YEARS.includes(y)) location.hash = calendarHash(y);
        else await reload();
      } catch (err) {
        save.disabled = false;
        showSaveError(form, status, err, (f) => ({ date: 'cal-date', note: 'cal-note' })[f]);
      }
    },
  },
  field({ id: 'cal-date', label: t('calendar.date'), control: dateInput, required: true }),
  h('fieldset', { class: 'field radio-group' }, h('legend', null, t('calendar.type')), typeBox, typeHint),
  field({ id: 'cal-note', label: t('calendar.note'), control: noteInput, hint: t('calendar.noteHint'), required: true }),
  existingBox,
  h('div', { class: 'actions-row' }, save, del,
    h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { setDate(''); dateInput.focus(); } }, t('calendar.clear'))),
  status);
  refresh();
  return { el: form, setDate };
}
