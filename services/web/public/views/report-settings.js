// 统计口径: the report settings (GET /reports/settings; administrators change them with PUT): the
// composite score's weights, the satisfaction score's points, how 未回访办结 counts, and the
// ranking classes (先进 / 整改 shares, 进步 places, 治理 count, the fewest requests to be ranked).
// Leaders and supervisors read them; every setting is explained beside its field.
import { h, mount, toast } from '../lib/dom.js';
import { getLang, t } from '../i18n.js';
import { api, errorDetail } from '../lib/api.js';
import { isAdmin } from '../lib/identity.js';
import { readOnlyHint } from '../lib/admin.js';
import { percentOf } from '../lib/format.js';
import { clearFieldErrors, field, focusFirstError, loadInto, setFieldError, showSaveError } from '../lib/ui.js';
import { refusedBanner } from './reports.js';

const WEIGHTS = ['response', 'resolution', 'satisfaction'];
const POINTS = ['satisfied', 'basically_satisfied', 'dissatisfied'];
const NO_FEEDBACK = ['excluded', 'satisfied'];

/** The API's defaults (README "Report definitions"), for 填入默认值. */
const DEFAULTS = {
  weights: { response: 30, resolution: 35, satisfaction: 35 },
  satisfactionPoints: { satisfied: 100, basically_satisfied: 80, dissatisfied: 0 },
  noFeedback: 'excluded',
  ranking: { advancedShare: 0.1, rectifyShare: 0.1, improvedMinRise: 5, governanceCount: 10, minReceived: 5 },
};

/**
 * The ranking settings: the form field, the API's name, the class badge it sets, its limits and
 * whether it is a share (0–0.5 in the API, per cent in the form) or a whole number.
 */
const RANKING = [
  { key: 'advancedShare', badge: 'advanced', min: 0, max: 50, share: true, suffix: 'rs.percent' },
  { key: 'rectifyShare', badge: 'rectify', min: 0, max: 50, share: true, suffix: 'rs.percent' },
  { key: 'improvedMinRise', badge: 'improved', min: 1, max: 100, suffix: 'rs.places' },
  { key: 'governanceCount', badge: 'governance', min: 0, max: 100, suffix: 'rs.count' },
  { key: 'minReceived', badge: null, min: 0, max: 10000, suffix: 'rs.pieces' },
];
const HELP = {
  advancedShare: 'rs.advancedHelp', rectifyShare: 'rs.rectifyHelp', improvedMinRise: 'rs.improvedHelp',
  governanceCount: 'rs.governanceHelp', minReceived: 'rs.minReceivedHelp',
};

/** Unsaved edits survive a re-render (language or identity switch); dropped after a save. */
let draft = null;

/** The form's values (strings, as typed) from the API's settings. */
function valuesOf(s) {
  const r = { ...DEFAULTS.ranking, ...s.ranking };
  return {
    weights: Object.fromEntries(WEIGHTS.map((k) => [k, String(s.weights?.[k] ?? DEFAULTS.weights[k])])),
    points: Object.fromEntries(POINTS.map((k) => [k, String(s.satisfactionPoints?.[k] ?? DEFAULTS.satisfactionPoints[k])])),
    noFeedback: NO_FEEDBACK.includes(s.noFeedback) ? s.noFeedback : DEFAULTS.noFeedback,
    ranking: Object.fromEntries(RANKING.map((f) => [f.key, String(f.share ? percentOf(r[f.key]) : r[f.key])])),
  };
}

export async function renderReportSettings(root, ctx) {
  const body = h('div', { class: 'rs-body' });
  mount(root,
    h('div', { class: 'page-head' },
      h('h1', { tabindex: '-1' }, t('rs.heading')),
      h('p', { class: 'lead' }, t('rs.lead'))),
    body);
  const settings = await loadInto(body, ctx, '/reports/settings', (err) => refusedBanner(err, t('rs.refusedTitle')));
  if (!settings) return;
  const reload = () => renderReportSettings(root, ctx);
  mount(body, settingsForm(settings, isAdmin(), reload));
}

function settingsForm(settings, admin, reload) {
  // minReceived is newer than the other settings: sent only when the server has it.
  const hasMinReceived = typeof settings.ranking?.minReceived === 'number';
  // An administrator's unsaved edits; whoever else reads the page sees what is in force.
  const v = (admin ? draft : null) ?? valuesOf(settings);
  if (admin) draft = v;
  const status = h('div', { class: 'action-status', 'aria-live': 'polite' });
  const inputs = {};

  /** A number input with its unit after it, in a field with label, hint and error slot. */
  const numberField = ({ id, text, hint, suffix, value, min, max, step, oninput, badge, disabled }) => {
    const input = h('input', {
      id, type: 'number', min: String(min), max: String(max), step, inputmode: step === '1' ? 'numeric' : 'decimal',
      class: 'amount-input', value, disabled: disabled || !admin,
      oninput: (e) => oninput(e.target.value),
    });
    inputs[id] = input;
    return field({
      id,
      label: badge ? [h('span', { class: `badge rank-class rank-${badge}` }, t(`reports.class.${badge}`)), ' ', text] : text,
      control: h('div', { class: 'duration-inputs' }, input, suffix ? h('span', { class: 'unit-suffix' }, t(suffix)) : null),
      hint,
    });
  };

  // 综合得分权重
  const shareLine = h('p', { class: 'rs-share', id: 'rs-weights-share', 'aria-live': 'polite' });
  const showShares = () => {
    const w = WEIGHTS.map((k) => Number(v.weights[k]));
    const sum = w.reduce((a, b) => a + (Number.isFinite(b) && b > 0 ? b : 0), 0);
    if (!(sum > 0) || w.some((x) => !Number.isFinite(x) || x < 0)) {
      shareLine.textContent = '';
      return;
    }
    const p = (x) => String(Math.round((x / sum) * 1000) / 10);
    shareLine.textContent = t('rs.weightsShare', { response: p(w[0]), resolution: p(w[1]), satisfaction: p(w[2]) });
  };
  const weights = h('fieldset', { class: 'field rs-group', id: 'rs-weights', 'data-field-wrap': 'rs-weights', 'aria-describedby': 'rs-weights-help rs-weights-error' },
    h('legend', null, t('rs.weights')),
    h('p', { class: 'hint rs-help', id: 'rs-weights-help' }, t('rs.weightsHelp')),
    h('div', { class: 'rs-row' }, WEIGHTS.map((k) => numberField({
      id: `rs-w-${k}`, text: t(`rs.w.${k}`), value: v.weights[k], min: 0, max: 100, step: 'any',
      oninput: (x) => { v.weights[k] = x; showShares(); },
    }))),
    shareLine,
    h('p', { class: 'field-error', id: 'rs-weights-error', hidden: true }));
  showShares();

  // 满意度得分分值
  const points = h('fieldset', { class: 'field rs-group', id: 'rs-points', 'aria-describedby': 'rs-points-help' },
    h('legend', null, t('rs.points')),
    h('p', { class: 'hint rs-help', id: 'rs-points-help' }, t('rs.pointsHelp')),
    h('div', { class: 'rs-row' }, POINTS.map((k) => numberField({
      id: `rs-p-${k}`, text: t(`rs.p.${k}`), suffix: 'rs.pointsUnit', value: v.points[k], min: 0, max: 100, step: 'any',
      oninput: (x) => { v.points[k] = x; },
    }))),
    h('p', { class: 'hint' }, t('rs.pointsOrder')));

  // 未回访办结
  const noFeedback = h('fieldset', { class: 'field rs-group', id: 'rs-noFeedback', 'aria-describedby': 'rs-noFeedback-help rs-noFeedback-error' },
    h('legend', null, t('rs.noFeedback')),
    h('p', { class: 'hint rs-help', id: 'rs-noFeedback-help' }, t('rs.noFeedbackHelp')),
    h('div', { class: 'rs-choices' }, NO_FEEDBACK.map((k) => h('label', { class: 'rs-choice' },
      h('input', {
        type: 'radio', name: 'rs-noFeedback', id: `rs-nf-${k}`, value: k, checked: v.noFeedback === k, disabled: !admin,
        onchange: () => { v.noFeedback = k; },
      }),
      h('span', null, h('strong', null, t(`rs.nf.${k}`)), h('span', { class: 'rs-choice-help' }, t(`rs.nf.${k}Help`)))))),
    h('p', { class: 'field-error', id: 'rs-noFeedback-error', hidden: true }));

  // 排名评定
  const ranking = h('fieldset', { class: 'field rs-group', id: 'rs-ranking', 'aria-describedby': 'rs-ranking-help' },
    h('legend', null, t('rs.ranking')),
    h('p', { class: 'hint rs-help', id: 'rs-ranking-help' }, t('rs.rankingHelp')),
    h('div', { class: 'rs-ranking-fields' }, RANKING.map((f) => {
      const missing = f.key === 'minReceived' && !hasMinReceived;
      return numberField({
        id: `rs-${f.key}`, text: t(`rs.${f.key}`), badge: f.badge, suffix: f.suffix, value: v.ranking[f.key],
        min: f.min, max: f.max, step: f.share ? 'any' : '1', disabled: missing,
        hint: missing ? `${t(HELP[f.key])} ${t('rs.notOffered')}` : t(HELP[f.key]),
        oninput: (x) => { v.ranking[f.key] = x; },
      });
    })));

  const save = admin ? h('button', { type: 'submit', class: 'btn btn-primary', id: 'rs-save' }, t('rs.save')) : null;
  const reset = admin ? h('button', {
    type: 'button', class: 'btn', id: 'rs-reset',
    onclick: () => {
      const d = valuesOf(DEFAULTS);
      Object.assign(v, d);
      for (const k of WEIGHTS) inputs[`rs-w-${k}`].value = d.weights[k];
      for (const k of POINTS) inputs[`rs-p-${k}`].value = d.points[k];
      for (const f of RANKING) if (!inputs[`rs-${f.key}`].disabled) inputs[`rs-${f.key}`].value = d.ranking[f.key];
      for (const k of NO_FEEDBACK) form.querySelector(`#rs-nf-${k}`).checked = k === d.noFeedback;
      if (!hasMinReceived) v.ranking.minReceived = String(DEFAULTS.ranking.minReceived);
      showShares();
      clearFieldErrors(form);
      mount(status, h('p', { class: 'hint' }, t('rs.resetDone')));
    },
  }, t('rs.reset')) : null;

  /** Check the form; the body to send, or null with the errors shown. */
  const read = () => {
    clearFieldErrors(form);
    mount(status);
    let bad = false;
    const fail = (id, msg) => { setFieldError(form, id, msg); bad = true; };
    const numberIn = (id, raw, min, max, whole) => {
      const n = Number(raw);
      if (String(raw).trim() === '') fail(id, t('rs.err.required'));
      else if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) fail(id, t(whole ? 'rs.err.int' : 'rs.err.range', { min, max }));
      return n;
    };
    const body = {
      weights: Object.fromEntries(WEIGHTS.map((k) => [k, numberIn(`rs-w-${k}`, v.weights[k], 0, 100, false)])),
      satisfactionPoints: Object.fromEntries(POINTS.map((k) => [k, numberIn(`rs-p-${k}`, v.points[k], 0, 100, false)])),
      noFeedback: v.noFeedback,
      ranking: {},
    };
    if (!bad && WEIGHTS.every((k) => body.weights[k] === 0)) fail('rs-weights', t('rs.weightsZero'));
    if (!NO_FEEDBACK.includes(v.noFeedback)) fail('rs-noFeedback', t('rs.err.choose'));
    for (const f of RANKING) {
      if (f.key === 'minReceived' && !hasMinReceived) continue;
      const n = numberIn(`rs-${f.key}`, v.ranking[f.key], f.min, f.max, !f.share);
      body.ranking[f.key] = f.share ? Math.round(n * 10) / 1000 : n;
    }
    if (bad) {
      focusFirstError(form);
      return null;
    }
    return body;
  };

  const form = h('form', {
    class: 'rs-form', novalidate: true, 'aria-labelledby': 'rs-form-title',
    onsubmit: async (e) => {
      e.preventDefault();
      if (!admin) return;
      const sent = read();
      if (!sent) return;
      save.disabled = true;
      save.setAttribute('aria-busy', 'true');
      try {
        await api('/reports/settings', { method: 'PUT', body: sent });
        draft = null;
        toast(t('rs.saved'), 'success');
        await reload();
      } catch (err) {
        save.disabled = false;
        save.removeAttribute('aria-busy');
        showSaveError(form, status, err, fieldTarget, { message: (target) => fieldMessage(err, target) });
      }
    },
  },
  h('h2', { class: 'sr-only', id: 'rs-form-title' }, t('rs.heading')),
  h('section', { class: 'card' }, weights),
  h('section', { class: 'card' }, points),
  h('section', { class: 'card' }, noFeedback),
  h('section', { class: 'card' }, ranking),
  admin ? h('div', { class: 'card rs-actions' },
    h('div', { class: 'actions-row' }, save, reset),
    h('p', { class: 'hint' }, t('rs.updatedNote')),
    status) : null);

  return h('div', null,
    readOnlyHint(),
    form,
    h('p', null, h('a', { href: '#/reports' }, t('rs.backToReports'))));
}

/** API field → form control: `weights.response` → rs-w-response, `ranking.minReceived` → rs-minReceived. */
function fieldTarget(apiField) {
  if (!apiField) return null;
  let m = /^weights(?:\.(response|resolution|satisfaction))?$/.exec(apiField);
  if (m) return m[1] ? `rs-w-${m[1]}` : 'rs-weights';
  m = /^satisfactionPoints\.(satisfied|basically_satisfied|dissatisfied)$/.exec(apiField);
  if (m) return `rs-p-${m[1]}`;
  if (apiField === 'noFeedback') return 'rs-noFeedback';
  m = /^ranking\.(advancedShare|rectifyShare|improvedMinRise|governanceCount|minReceived)$/.exec(apiField);
  if (m) return `rs-${m[1]}`;
  return null;
}

/**
 * What to say at a field the API refused: our own words for its limits (the API's English only
 * in the English UI, as a detail); a field the server does not know yet says so.
 */
function fieldMessage(err, target) {
  let text;
  if (err.code === 'UNKNOWN_FIELD') text = t('rs.err.unsupported', { field: err.field });
  else if (target === 'rs-weights') text = t('rs.weightsZero');
  else if (target === 'rs-noFeedback') text = t('rs.err.choose');
  else {
    const f = RANKING.find((r) => `rs-${r.key}` === target);
    text = f ? t(f.share ? 'rs.err.range' : 'rs.err.int', { min: f.min, max: f.max }) : t('rs.err.range', { min: 0, max: 100 });
  }
  const detail = getLang() === 'en' ? errorDetail(err) ?? err.message : null;
  return detail && detail !== text ? `${text} (${detail})` : text;
}
