// 受理登记: the clerk's intake form. POST /petitions with an Idempotency-Key kept until the API answers.
// Before submitting, POST /petitions/duplicate-check: possible duplicates are shown with 仍然登记 /
// 查看; after submitting, the response's own duplicateCandidates can take the new petition (合并到此件).
// An inquiry (咨询) may carry a 直接答复 that closes it at intake.
// A category may ask for extra fields (分类信息, GET /categories → extraFields); they are sent as `details`.
import { h, mount, options, toast } from '../lib/dom.js';
import { getLang, t, label } from '../i18n.js';
import { api, ApiError, errorText, errorWithDetail, newKey, waitForCommand } from '../lib/api.js';
import { categoryFields, childrenOf, displayName, districts, fieldLabel, unitName } from '../lib/reference.js';
import {
  categoryOptions, clearFieldErrors, errorBanner, field, focusFirstError, infoBanner, radioGroup, rememberPetition, setFieldError,
  stateBadge, tableHead,
} from '../lib/ui.js';

export const CHANNELS = ['hotline', 'web', 'mobile', 'walk_in', 'door_to_door', 'symposium', 'questionnaire',
  'suggestion_box', 'online_column', 'letter', 'open311'];
export const URGENCIES = ['normal', 'emergency', 'utilities', 'complex'];
const KINDS = ['request', 'inquiry'];

const EMPTY_DRAFT = () => ({
  kind: 'request', channel: 'hotline', urgency: 'normal', categoryId: '', districtId: '', streetId: '', communityId: '',
  locationText: '', title: '', content: '', anonymous: false, name: '', phone: '', address: '', directAnswer: '',
  // The chosen category's extra fields, as typed: { [key]: string } ('true' / 'false' for booleans).
  details: {},
});
/** Fields the duplicate check looks at: editing one of them drops a shown warning. */
const DUP_FIELDS = new Set(['categoryId', 'districtId', 'streetId', 'title', 'content']);

// Kept across re-renders (language switch, navigation) so nothing typed is lost.
let draft = EMPTY_DRAFT();
/** Idempotency-Key of the submission in flight or last failed for transport reasons; cleared on any API answer. */
let pendingKey = null;
/** The last successful submission, shown until "继续登记". */
let result = null;
let submitting = false;
/** Possible duplicates found by the check before submitting: { candidates }, shown until the form changes. */
let dupWarning = null;
/** A merge of the new petition in flight (result card). */
let merging = false;
/** The duplicate-check fields the clerk said 仍然登记 for: a retry after fixing another field is not asked again. */
let dupConfirmedFor = null;

const id = (name) => `in-${name}`;
/** Control id of an extra field (category detail). */
const detailId = (key) => id(`d-${key}`);
const DETAIL_PREFIX = 'details.';
/** API `field` ("contact.phone", "title", "body") → our control id, or null. */
const FIELD_IDS = {
  kind: 'kind', channel: 'channel', urgency: 'urgency', categoryId: 'categoryId', districtId: 'districtId',
  streetId: 'streetId', communityId: 'communityId', locationText: 'locationText', title: 'title', content: 'content',
  contact: 'name', 'contact.name': 'name', 'contact.phone': 'phone', 'contact.address': 'address',
  directAnswer: 'directAnswer',
};

export function renderIntake(root, ctx) {
  mount(root,
    h('div', { class: 'page-head' },
      h('h1', { tabindex: '-1' }, t('intake.heading')),
      h('p', { class: 'lead' }, t('intake.lead'))),
    result ? renderResult(root, ctx) : renderForm(root, ctx));
}

function renderResult(root, ctx) {
  const r = result;
  let routing;
  if (r.status === 'pending') routing = h('p', { class: 'result-routing pending' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('intake.pending'));
  else if (r.leadUnit) routing = h('p', { class: 'result-routing' }, t('intake.routed', { unit: unitName(r.leadUnit.id, r.leadUnit.name) }));
  else if (r.state === 'awaitingDispatch') routing = h('p', { class: 'result-routing manual' }, t('intake.manual'));
  else if (r.state === 'closed' && r.answered) routing = h('p', { class: 'result-routing' }, t('intake.answered'));
  else routing = h('p', { class: 'result-routing' }, label('state', r.state));

  return h('section', { class: 'card result-card', 'aria-labelledby': 'result-title', role: 'status' },
    h('h2', { id: 'result-title' }, h('span', { class: 'check', 'aria-hidden': 'true' }, '✓'), t('intake.success')),
    h('div', { class: 'tracking' },
      h('span', { class: 'tracking-label' }, t('intake.trackingNo')),
      h('strong', { class: 'tracking-no', 'data-testid': 'tracking-no' }, r.trackingNo ?? '')),
    h('p', { class: 'result-title' }, r.title),
    routing,
    r.mergedInto ? h('p', { class: 'merged-line', 'data-testid': 'intake-merged' }, t('petition.mergedInto'), ' ',
      h('a', { class: 'mono', href: `#/petition/${r.mergedInto.id}` }, r.mergedInto.trackingNo)) : null,
    r.duplicateCandidates?.length && !r.mergedInto ? afterSubmitDuplicates(root, ctx, r) : null,
    h('div', { class: 'actions-row' },
      h('a', { class: 'btn btn-primary', href: `#/petition/${r.petitionId}` }, t('intake.view')),
      h('button', {
        type: 'button', class: 'btn',
        onclick: () => {
          result = null;
          dupWarning = null;
          const keep = { channel: draft.channel };
          draft = { ...EMPTY_DRAFT(), ...keep };
          renderIntake(root, ctx);
          root.querySelector(`#${id('title')}`)?.focus();
        },
      }, t('intake.next'))));
}

/** A table of duplicate candidates; `action(c)` gives the last cell (buttons). */
function candidateTable(candidates, action) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table dup-table' },
    tableHead(['queue.trackingNo', 'queue.title', 'intake.dupSimilarity', 'queue.state', 'intake.dupActions']),
    h('tbody', null, candidates.map((c) => h('tr', { 'data-candidate': c.id },
      h('td', null, h('a', { class: 'mono', href: `#/petition/${c.id}` }, c.trackingNo)),
      h('td', { class: 'cell-title' }, c.title),
      h('td', { class: 'nowrap' }, h('span', { class: 'similarity' }, `${Math.round(c.similarity * 100)}%`)),
      h('td', null, stateBadge(c.state)),
      h('td', { class: 'nowrap' }, action(c)))))));
}

const canTakeMerge = (c) => c.state !== 'closed' && c.state !== 'merged';

/** After a successful submit: the API's duplicateCandidates, each with 合并到此件. */
function afterSubmitDuplicates(root, ctx, r) {
  const status = h('div', { class: 'action-status', 'aria-live': 'polite' });
  const merge = async (c, btn) => {
    if (merging) return;
    merging = true;
    btn.disabled = true;
    btn.textContent = t('common.processing');
    mount(status);
    try {
      const { data } = await api(`/petitions/${r.petitionId}/merge`, { method: 'POST', body: { originalId: c.id }, idempotencyKey: newKey() });
      if (data.status === 'pending') {
        const cmd = await waitForCommand(data.commandId);
        if (cmd.status === 'rejected') throw new ApiError(409, { code: cmd.code, message: cmd.reason, state: cmd.state });
      }
      if (result && result.petitionId === r.petitionId) result = { ...result, state: 'merged', leadUnit: null, mergedInto: { id: c.id, trackingNo: c.trackingNo } };
      toast(t('intake.mergedToast', { no: c.trackingNo }), 'success');
      if (ctx.alive()) renderIntake(root, ctx);
    } catch (err) {
      btn.disabled = false;
      btn.textContent = t('intake.mergeHere');
      mount(status, errorBanner(err, t('error.refusedTitle', { action: t('action.merge') })));
    } finally {
      merging = false;
    }
  };
  return h('div', { class: 'dup-panel dup-after', 'data-testid': 'dup-after' },
    h('h3', null, t('intake.dupAfterTitle', { n: r.duplicateCandidates.length })),
    h('p', { class: 'muted' }, t('intake.dupAfterHelp')),
    candidateTable(r.duplicateCandidates, (c) => {
      if (!canTakeMerge(c)) return h('span', { class: 'muted small' }, t('intake.dupClosed'));
      const btn = h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => void merge(c, btn) }, t('intake.mergeHere'));
      return btn;
    }),
    status);
}

/** Before submitting: the possible duplicates the check found, with 仍然登记 and 查看. */
function dupWarningPanel(candidates, submitAnyway) {
  return h('div', { class: 'dup-panel dup-before', role: 'alert', 'data-testid': 'dup-warning' },
    h('h3', null, t('intake.dupTitle', { n: candidates.length })),
    h('p', null, t('intake.dupHelp')),
    candidateTable(candidates, (c) => h('a', { class: 'btn btn-small', href: `#/petition/${c.id}` }, t('intake.dupView'))),
    h('div', { class: 'actions-row' },
      h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'submit-anyway', onclick: submitAnyway }, t('intake.dupSubmitAnyway')),
      h('span', { class: 'hint' }, t('intake.dupOr'))));
}

/** 诉求类型 / 紧急程度: the draft follows the form's input events. */
function enumRadios(name, values, group) {
  return radioGroup({ id: id(name), name, legend: t(`field.${name}`), items: values.map((v) => ({ value: v, label: label(group, v) })), checked: draft[name] });
}

/** The 分类信息 controls for the chosen category (empty array when it has none). */
function detailControls(fields) {
  return fields.map((f) => {
    const cid = detailId(f.key);
    const value = draft.details[f.key] ?? '';
    const common = { id: cid, name: `${DETAIL_PREFIX}${f.key}`, 'data-detail': f.key };
    if (f.type === 'boolean') {
      return radioGroup({
        id: cid, name: common.name, legend: fieldLabel(f), required: f.required, optional: !f.required,
        items: [{ value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }], checked: value,
        inputAttrs: { 'data-detail': f.key },
      });
    }
    let control;
    if (f.type === 'select') {
      const opts = Array.isArray(f.options) ? f.options.map(String) : [];
      const en = getLang() === 'en' && Array.isArray(f.optionsEn) ? f.optionsEn : [];
      control = h('select', common, options(opts.map((o, i) => ({ value: o, label: en[i] ?? o })), value, t('common.choose')));
    } else if (f.type === 'number') {
      control = h('input', { ...common, type: 'number', step: 'any', inputmode: 'decimal', value, autocomplete: 'off', min: f.min ?? null, max: f.max ?? null });
    } else {
      control = h('input', { ...common, type: 'text', maxlength: 500, value, autocomplete: 'off' });
    }
    return field({ id: cid, label: fieldLabel(f), control, required: f.required, optional: !f.required });
  });
}

function renderForm(root, ctx) {
  const banner = h('div', { class: 'banner-slot', 'aria-live': 'assertive' });

  const channel = h('select', { id: id('channel'), name: 'channel' },
    options(CHANNELS.map((c) => ({ value: c, label: label('channel', c) })), draft.channel));

  const category = h('select', { id: id('categoryId'), name: 'categoryId' }, categoryOptions(draft.categoryId, t('common.choose')));

  const district = h('select', { id: id('districtId'), name: 'districtId' },
    options(districts().map((d) => ({ value: d.id, label: displayName(d) })), draft.districtId, t('common.choose')));
  const street = h('select', { id: id('streetId'), name: 'streetId' });
  const community = h('select', { id: id('communityId'), name: 'communityId' });
  const fillStreets = () => {
    const list = draft.districtId ? childrenOf(draft.districtId, 'street') : [];
    mount(street, options(list.map((s) => ({ value: s.id, label: displayName(s) })), draft.streetId, t('common.choose')));
    street.disabled = !draft.districtId;
  };
  const fillCommunities = () => {
    const list = draft.streetId ? childrenOf(draft.streetId, 'community') : [];
    mount(community, options(list.map((c) => ({ value: c.id, label: displayName(c) })), draft.communityId, t('common.choose')));
    community.disabled = list.length === 0;
  };
  fillStreets();
  fillCommunities();

  const text = (name, attrs = {}) => h('input', { type: 'text', id: id(name), name, value: draft[name], autocomplete: 'off', ...attrs });
  const location = text('locationText', { maxlength: 200, placeholder: t('field.locationPlaceholder') });
  const title = text('title', { maxlength: 100, placeholder: t('field.titlePlaceholder') });
  const content = h('textarea', { id: id('content'), name: 'content', rows: 6, maxlength: 5000, placeholder: t('field.contentPlaceholder') });
  content.value = draft.content;
  const directAnswer = h('textarea', { id: id('directAnswer'), name: 'directAnswer', rows: 4, maxlength: 5000, placeholder: t('field.directAnswerPlaceholder') });
  directAnswer.value = draft.directAnswer;
  const answerWrap = h('div', { class: 'direct-answer', hidden: draft.kind !== 'inquiry' },
    field({ id: id('directAnswer'), label: t('field.directAnswer'), control: directAnswer, optional: true, hint: t('field.directAnswerHint') }));
  const dupSlot = h('div', { class: 'dup-slot' });
  const detailsBox = h('fieldset', { class: 'category-details', 'data-testid': 'category-details' });
  const fillDetails = () => {
    const fields = categoryFields(draft.categoryId);
    mount(detailsBox, h('legend', null, t('intake.sectionDetails')), detailControls(fields));
    detailsBox.hidden = fields.length === 0;
  };
  fillDetails();

  const anonymous = h('input', { type: 'checkbox', id: id('anonymous'), name: 'anonymous', checked: draft.anonymous });
  const name = text('name', { maxlength: 50, autocomplete: 'off' });
  const phone = text('phone', { type: 'tel', inputmode: 'tel', maxlength: 20, autocomplete: 'off' });
  const address = text('address', { maxlength: 200, autocomplete: 'off' });
  const contactFields = h('div', { class: 'grid-3' },
    field({ id: id('name'), label: t('field.name'), control: name, required: true }),
    field({ id: id('phone'), label: t('field.phone'), control: phone, required: true }),
    field({ id: id('address'), label: t('field.address'), control: address, optional: true }));
  const syncAnonymous = () => {
    for (const el of [name, phone, address]) el.disabled = draft.anonymous;
    contactFields.classList.toggle('is-disabled', draft.anonymous);
  };
  syncAnonymous();

  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-lg', disabled: submitting },
    submitting ? t('intake.submitting') : t('intake.submit'));

  const form = h('form', { class: 'intake-form', novalidate: true, 'aria-label': t('intake.heading') },
    banner,
    h('div', { class: 'form-columns' },
      h('section', { class: 'card', 'aria-labelledby': 'sec-request' },
        h('h2', { id: 'sec-request' }, t('intake.sectionRequest')),
        h('div', { class: 'grid-2' },
          enumRadios('kind', KINDS, 'kind'),
          field({ id: id('channel'), label: t('field.channel'), control: channel, required: true })),
        enumRadios('urgency', URGENCIES, 'urgency'),
        field({ id: id('categoryId'), label: t('field.category'), control: category, required: true }),
        detailsBox,
        field({ id: id('title'), label: t('field.title'), control: title, required: true }),
        field({ id: id('content'), label: t('field.content'), control: content, required: true }),
        answerWrap),
      h('div', { class: 'col-stack' },
        h('section', { class: 'card', 'aria-labelledby': 'sec-place' },
          h('h2', { id: 'sec-place' }, t('intake.sectionPlace')),
          h('div', { class: 'grid-3' },
            field({ id: id('districtId'), label: t('field.district'), control: district, required: true }),
            field({ id: id('streetId'), label: t('field.street'), control: street, optional: true }),
            field({ id: id('communityId'), label: t('field.community'), control: community, optional: true })),
          field({ id: id('locationText'), label: t('field.location'), control: location, optional: true })),
        h('section', { class: 'card', 'aria-labelledby': 'sec-contact' },
          h('h2', { id: 'sec-contact' }, t('intake.sectionContact')),
          h('label', { class: 'checkbox', for: id('anonymous') }, anonymous, h('span', null, t('field.anonymous'))),
          contactFields))),
    dupSlot,
    h('div', { class: 'form-footer' },
      submit,
      h('button', {
        type: 'button', class: 'btn btn-ghost',
        onclick: () => {
          draft = { ...EMPTY_DRAFT(), channel: draft.channel };
      dupConfirmedFor = null;
          pendingKey = null;
          dupWarning = null;
          renderIntake(root, ctx);
        },
      }, t('intake.clear'))));

  form.addEventListener('input', (e) => onEdit(e.target));
  form.addEventListener('change', (e) => onEdit(e.target));
  function onEdit(el) {
    const n = el.name;
    if (!n) return;
    if (el.dataset.detail) {
      draft.details[el.dataset.detail] = el.value;
      clearError(el);
      return;
    }
    if (!(n in draft) || n === 'details') return;
    draft[n] = el.type === 'checkbox' ? el.checked : el.value;
    if (n === 'categoryId') { draft.details = {}; fillDetails(); }
    if (n === 'districtId') { draft.streetId = ''; draft.communityId = ''; fillStreets(); fillCommunities(); }
    if (n === 'streetId') { draft.communityId = ''; fillCommunities(); }
    if (n === 'anonymous') syncAnonymous();
    if (n === 'kind') answerWrap.hidden = draft.kind !== 'inquiry';
    if (DUP_FIELDS.has(n) && dupWarning) { dupWarning = null; mount(dupSlot); }
    clearError(el);
  }
  /** A field the user touches loses its error mark. */
  function clearError(el) {
    const wrap = el.closest('.has-error');
    if (wrap) {
      wrap.classList.remove('has-error');
      const slot = wrap.querySelector('.field-error');
      if (slot) slot.hidden = true;
      el.removeAttribute('aria-invalid');
    }
  }

  const showDupWarning = () => {
    if (!dupWarning) { mount(dupSlot); return; }
    mount(dupSlot, dupWarningPanel(dupWarning.candidates, () => void send(true)));
  };
  showDupWarning();

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void send(false);
  });

  /** Validate, check for duplicates (unless `force`: 仍然登记), then register. */
  async function send(force) {
    if (submitting) return; // a double click sends one request (and the same key anyway)
    clearFieldErrors(form);
    mount(banner);
    const missing = validate();
    const badDetails = validateDetails(form);
    if (missing.length || badDetails.length) {
      for (const f of missing) setFieldError(form, id(f), t('intake.required'));
      for (const [key, msg] of badDetails) setFieldError(form, detailId(key), msg);
      mount(banner, infoBanner(t('intake.fixErrors'), 'error'));
      focusFirstError(form);
      return;
    }
    const body = toBody();
    const dupKey = JSON.stringify([...DUP_FIELDS].map((k) => body[k] ?? null));
    if (force) dupConfirmedFor = dupKey;
    submitting = true;
    submit.disabled = true;
    if (!force && !pendingKey && dupConfirmedFor !== dupKey) {
      // A retry of a request whose answer was lost (pendingKey kept) skips the check: it may already be registered.
      submit.textContent = t('intake.checking');
      const candidates = await checkDuplicates(body);
      if (candidates.length) {
        submitting = false;
        dupWarning = { candidates };
        if (!ctx.alive()) return;
        submit.disabled = false;
        submit.textContent = t('intake.submit');
        showDupWarning();
        const panel = dupSlot.firstElementChild;
        panel?.scrollIntoView({ block: 'end' });
        panel?.querySelector('[data-testid="submit-anyway"]')?.focus({ preventScroll: true });
        return;
      }
    }
    dupWarning = null;
    mount(dupSlot);
    pendingKey ??= newKey();
    submit.textContent = t('intake.submitting');
    try {
      const { status, data } = await api('/petitions', { method: 'POST', body, idempotencyKey: pendingKey });
      pendingKey = null;
      result = { ...data, httpStatus: status, title: body.title, answered: Boolean(body.directAnswer) };
      rememberPetition({ id: data.petitionId, trackingNo: data.trackingNo ?? '', title: body.title, at: new Date().toISOString() });
      draft = { ...EMPTY_DRAFT(), channel: draft.channel };
      dupConfirmedFor = null;
      submitting = false;
      if (ctx.alive()) renderIntake(root, ctx);
      if (data.status === 'pending') void settle(root, ctx, data);
    } catch (err) {
      submitting = false;
      // Keep the key only when we cannot know whether the API recorded the request.
      if (!(err instanceof ApiError) || err.status === 0 || err.status >= 500) { /* keep pendingKey */ } else pendingKey = null;
      if (!ctx.alive()) return;
      submit.disabled = false;
      submit.textContent = t('intake.submit');
      const target = err instanceof ApiError && err.field ? fieldTarget(err.field) : null;
      if (target && setFieldError(form, target, fieldMessage(err, target))) {
        mount(banner, infoBanner(t('intake.fixErrors'), 'error'));
        focusFirstError(form);
      } else {
        mount(banner, errorBanner(err));
        banner.scrollIntoView({ block: 'nearest' });
      }
    }
  }

  return form;
}

/** POST /petitions/duplicate-check; a failed check does not stop the registration. */
async function checkDuplicates(body) {
  const q = { categoryId: body.categoryId, districtId: body.districtId, title: body.title, content: body.content };
  if (body.streetId) q.streetId = body.streetId;
  try {
    const { data } = await api('/petitions/duplicate-check', { method: 'POST', body: q });
    return Array.isArray(data) ? data : [];
  } catch {
    return [];
  }
}

/** API `field` → the id of our control for it, or null ("details.<key>" → that extra field). */
function fieldTarget(apiField) {
  if (apiField.startsWith(DETAIL_PREFIX)) {
    const key = apiField.slice(DETAIL_PREFIX.length);
    return categoryFields(draft.categoryId).some((f) => f.key === key) ? detailId(key) : null;
  }
  return FIELD_IDS[apiField] ? id(FIELD_IDS[apiField]) : null;
}

/** The message shown under a field (control id `target`) for an API error about it. */
function fieldMessage(err, target) {
  if (err.code === 'MISSING_FIELD') return t('intake.required');
  if (err.code === 'INVALID_FIELD' && target === id('phone')) return t('field.phoneInvalid');
  if (err.code === 'INVALID_FIELD') return errorWithDetail(err);
  return errorText(err);
}

function validate() {
  const missing = [];
  for (const f of ['categoryId', 'districtId', 'title', 'content']) if (!String(draft[f]).trim()) missing.push(f);
  if (!draft.anonymous) for (const f of ['name', 'phone']) if (!draft[f].trim()) missing.push(f);
  return missing;
}

/** Client-side checks of the extra fields: [[key, message]]. Reads the form for number inputs the browser could not parse. */
function validateDetails(form) {
  const bad = [];
  for (const f of categoryFields(draft.categoryId)) {
    const v = String(draft.details[f.key] ?? '').trim();
    const input = f.type === 'number' ? form.elements.namedItem(`${DETAIL_PREFIX}${f.key}`) : null;
    if (f.type === 'number' && (input?.validity?.badInput || (v && !Number.isFinite(Number(v))))) bad.push([f.key, t('field.numberInvalid')]);
    else if (f.required && !v) bad.push([f.key, t('intake.required')]);
  }
  return bad;
}

/** `details` for POST /petitions: the chosen category's filled-in fields, typed; null when there are none. */
function detailsBody() {
  const out = {};
  for (const f of categoryFields(draft.categoryId)) {
    const v = String(draft.details[f.key] ?? '').trim();
    if (!v) continue;
    if (f.type === 'boolean') out[f.key] = v === 'true';
    else if (f.type === 'number') out[f.key] = Number(v);
    else out[f.key] = v;
  }
  return Object.keys(out).length ? out : null;
}

function toBody() {
  const body = {
    kind: draft.kind, channel: draft.channel, urgency: draft.urgency, categoryId: draft.categoryId,
    districtId: draft.districtId, title: draft.title.trim(), content: draft.content.trim(),
  };
  if (draft.streetId) body.streetId = draft.streetId;
  if (draft.streetId && draft.communityId) body.communityId = draft.communityId;
  if (draft.locationText.trim()) body.locationText = draft.locationText.trim();
  if (!draft.anonymous) {
    body.contact = { name: draft.name.trim(), phone: draft.phone.trim() };
    if (draft.address.trim()) body.contact.address = draft.address.trim();
  }
  if (draft.kind === 'inquiry' && draft.directAnswer.trim()) body.directAnswer = draft.directAnswer.trim();
  const details = detailsBody();
  if (details) body.details = details;
  return body;
}

/** After a 202: poll the command, then read the petition for its state and lead unit. */
async function settle(root, ctx, accepted) {
  try {
    const cmd = await waitForCommand(accepted.commandId);
    if (cmd.status === 'pending') return;
    const { data: p } = await api(`/petitions/${accepted.petitionId}`);
    if (result && result.petitionId === accepted.petitionId) {
      result = { ...result, status: cmd.status, state: p.state, leadUnit: p.leadUnit, trackingNo: p.trackingNo, outcome: p.outcome };
      if (ctx.alive()) renderIntake(root, ctx);
    }
  } catch { /* the result card keeps saying 正在处理; the petition view shows the truth */ }
}
