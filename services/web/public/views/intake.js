// 受理登记: the clerk's intake form. POST /petitions with an Idempotency-Key kept until the API answers.
import { h, mount, options } from '../lib/dom.js';
import { t, label } from '../i18n.js';
import { api, ApiError, errorText, newKey, waitForCommand } from '../lib/api.js';
import { categoryGroups, childrenOf, displayName, districts, unitName } from '../lib/reference.js';
import {
  clearFieldErrors, errorBanner, field, focusFirstError, infoBanner, rememberPetition, setFieldError,
} from '../lib/ui.js';

export const CHANNELS = ['hotline', 'web', 'mobile', 'walk_in', 'door_to_door', 'symposium', 'questionnaire',
  'suggestion_box', 'online_column', 'letter', 'open311'];
export const URGENCIES = ['normal', 'emergency', 'utilities', 'complex'];
const KINDS = ['request', 'inquiry'];

const EMPTY_DRAFT = () => ({
  kind: 'request', channel: 'hotline', urgency: 'normal', categoryId: '', districtId: '', streetId: '', communityId: '',
  locationText: '', title: '', content: '', anonymous: false, name: '', phone: '', address: '',
});

// Kept across re-renders (language switch, navigation) so nothing typed is lost.
let draft = EMPTY_DRAFT();
/** Idempotency-Key of the submission in flight or last failed for transport reasons; cleared on any API answer. */
let pendingKey = null;
/** The last successful submission, shown until "继续登记". */
let result = null;
let submitting = false;

const id = (name) => `in-${name}`;
/** API `field` ("contact.phone", "title", "body") → our control id, or null. */
const FIELD_IDS = {
  kind: 'kind', channel: 'channel', urgency: 'urgency', categoryId: 'categoryId', districtId: 'districtId',
  streetId: 'streetId', communityId: 'communityId', locationText: 'locationText', title: 'title', content: 'content',
  contact: 'name', 'contact.name': 'name', 'contact.phone': 'phone', 'contact.address': 'address',
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
  else routing = h('p', { class: 'result-routing' }, label('state', r.state));

  return h('section', { class: 'card result-card', 'aria-labelledby': 'result-title', role: 'status' },
    h('h2', { id: 'result-title' }, h('span', { class: 'check', 'aria-hidden': 'true' }, '✓'), t('intake.success')),
    h('div', { class: 'tracking' },
      h('span', { class: 'tracking-label' }, t('intake.trackingNo')),
      h('strong', { class: 'tracking-no', 'data-testid': 'tracking-no' }, r.trackingNo ?? '')),
    h('p', { class: 'result-title' }, r.title),
    routing,
    h('div', { class: 'actions-row' },
      h('a', { class: 'btn btn-primary', href: `#/petition/${r.petitionId}` }, t('intake.view')),
      h('button', {
        type: 'button', class: 'btn',
        onclick: () => {
          result = null;
          const keep = { channel: draft.channel };
          draft = { ...EMPTY_DRAFT(), ...keep };
          renderIntake(root, ctx);
          root.querySelector(`#${id('title')}`)?.focus();
        },
      }, t('intake.next'))));
}

function radioGroup(name, values, group, current) {
  return h('fieldset', { class: 'field radio-group', id: id(name), 'aria-describedby': `${id(name)}-error` },
    h('legend', null, t(`field.${name}`)),
    h('div', { class: 'radios' }, values.map((v) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name, value: v, checked: current === v }),
      h('span', null, label(group, v))))),
    h('p', { class: 'field-error', id: `${id(name)}-error`, hidden: true }));
}

function renderForm(root, ctx) {
  const banner = h('div', { class: 'banner-slot', 'aria-live': 'assertive' });

  const channel = h('select', { id: id('channel'), name: 'channel' },
    options(CHANNELS.map((c) => ({ value: c, label: label('channel', c) })), draft.channel));

  const category = h('select', { id: id('categoryId'), name: 'categoryId' },
    h('option', { value: '' }, t('common.choose')),
    categoryGroups().map((g) => h('optgroup', { label: displayName(g.parent) },
      g.leaves.map((l) => h('option', { value: l.cat.id, selected: l.cat.id === draft.categoryId }, l.label)))));

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
          radioGroup('kind', KINDS, 'kind', draft.kind),
          field({ id: id('channel'), label: t('field.channel'), control: channel, required: true })),
        radioGroup('urgency', URGENCIES, 'urgency', draft.urgency),
        field({ id: id('categoryId'), label: t('field.category'), control: category, required: true }),
        field({ id: id('title'), label: t('field.title'), control: title, required: true }),
        field({ id: id('content'), label: t('field.content'), control: content, required: true })),
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
    h('div', { class: 'form-footer' },
      submit,
      h('button', {
        type: 'button', class: 'btn btn-ghost',
        onclick: () => {
          draft = { ...EMPTY_DRAFT(), channel: draft.channel };
          pendingKey = null;
          renderIntake(root, ctx);
        },
      }, t('intake.clear'))));

  form.addEventListener('input', (e) => onEdit(e.target));
  form.addEventListener('change', (e) => onEdit(e.target));
  function onEdit(el) {
    const n = el.name;
    if (!n || !(n in draft)) return;
    draft[n] = el.type === 'checkbox' ? el.checked : el.value;
    if (n === 'districtId') { draft.streetId = ''; draft.communityId = ''; fillStreets(); fillCommunities(); }
    if (n === 'streetId') { draft.communityId = ''; fillCommunities(); }
    if (n === 'anonymous') syncAnonymous();
    // A field the user touches loses its error mark.
    const wrap = el.closest('.has-error');
    if (wrap) {
      wrap.classList.remove('has-error');
      const slot = wrap.querySelector('.field-error');
      if (slot) slot.hidden = true;
      el.removeAttribute('aria-invalid');
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submitting) return; // a double click sends one request (and the same key anyway)
    clearFieldErrors(form);
    mount(banner);
    const missing = validate();
    if (missing.length) {
      for (const f of missing) setFieldError(form, id(f), t('intake.required'));
      mount(banner, infoBanner(t('intake.fixErrors'), 'error'));
      focusFirstError(form);
      return;
    }
    const body = toBody();
    pendingKey ??= newKey();
    submitting = true;
    submit.disabled = true;
    submit.textContent = t('intake.submitting');
    try {
      const { status, data } = await api('/petitions', { method: 'POST', body, idempotencyKey: pendingKey });
      pendingKey = null;
      result = { ...data, httpStatus: status, title: body.title };
      rememberPetition({ id: data.petitionId, trackingNo: data.trackingNo ?? '', title: body.title, at: new Date().toISOString() });
      draft = { ...EMPTY_DRAFT(), channel: draft.channel };
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
      const target = err instanceof ApiError && err.field ? FIELD_IDS[err.field] : null;
      if (target && setFieldError(form, id(target), fieldMessage(err, target))) {
        mount(banner, infoBanner(t('intake.fixErrors'), 'error'));
        focusFirstError(form);
      } else {
        mount(banner, errorBanner(err));
        banner.scrollIntoView({ block: 'nearest' });
      }
    }
  });

  return form;
}

/** The message shown under a field for an API error about it. */
function fieldMessage(err, target) {
  if (err.code === 'MISSING_FIELD') return t('intake.required');
  if (err.code === 'INVALID_FIELD' && target === 'phone') return t('field.phoneInvalid');
  if (err.code === 'INVALID_FIELD') return `${errorText(err)} (${err.message})`;
  return errorText(err);
}

function validate() {
  const missing = [];
  for (const f of ['categoryId', 'districtId', 'title', 'content']) if (!String(draft[f]).trim()) missing.push(f);
  if (!draft.anonymous) for (const f of ['name', 'phone']) if (!draft[f].trim()) missing.push(f);
  return missing;
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
  return body;
}

/** After a 202: poll the command, then read the petition for its state and lead unit. */
async function settle(root, ctx, accepted) {
  try {
    const cmd = await waitForCommand(accepted.commandId);
    if (cmd.status === 'pending') return;
    const { data: p } = await api(`/petitions/${accepted.petitionId}`);
    if (result && result.petitionId === accepted.petitionId) {
      result = { ...result, status: cmd.status, state: p.state, leadUnit: p.leadUnit, trackingNo: p.trackingNo };
      if (ctx.alive()) renderIntake(root, ctx);
    }
  } catch { /* the result card keeps saying 正在处理; the petition view shows the truth */ }
}
