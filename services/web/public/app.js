// Entry point: header (navigation, tracking-number search, language, signed-in user or demo
// identity) and the hash router.
//   #/login?next=                登录 (the only page for someone not signed in, unless the server
//                                allows the demo identity: GET /auth/config devIdentity)
//   #/                           the person's start page (homePath: leaders 统计报表, handlers and
//                                department heads 部门工单, those who register petitions 受理登记)
//   #/intake                     受理登记 (clerks, dispatchers, supervisors, admins)
//   #/petition/<id>              诉求详情
//   #/queue?unit=&status=&page=  部门工单
//   #/dispatch                   人工派单 (dispatchers, supervisors, admins)
//   #/track/<tracking number>    opens the petition with that number
//   #/admin/calendar?year=       工作日历 (admins edit; other staff read)
//   #/admin/sla                  时限标准 and the deadline preview
//   #/admin/report-settings      统计口径 (admins edit; leaders and supervisors read)
//   #/reports?period=&date=&…    统计报表 (leaders, supervisors, admins)
import { h, mount } from './lib/dom.js';
import { getLang, label, LANGS, setLang, t } from './i18n.js';
import { byName, childrenOf, displayName, loadReference, ref } from './lib/reference.js';
import {
  ACTING_ROLES, canSwitchIdentity, devIdentityAllowed, DISPATCH_ROLES, FEEDBACK_ROLES, getIdentity, homePath, INTAKE_ROLES, isAdmin, isSignedIn,
  LEADER_UNIT_KINDS, REPORT_ROLES, setIdentity, signedInUser, UNIT_ROLES,
} from './lib/identity.js';
import { loadAuthConfig, loadMe, signOut } from './lib/auth.js';
import { errorBanner, infoBanner, loadingLine, unitOptgroups } from './lib/ui.js';
import { lookupTrackingNumber, trackingLookupForm } from './lib/lookup.js';
import { renderIntake } from './views/intake.js';
import { renderPetition } from './views/petition.js';
import { renderQueue } from './views/queue.js';
import { renderDispatch } from './views/dispatch.js';
import { renderFeedback } from './views/feedback.js';
import { renderCalendar } from './views/calendar.js';
import { renderSla } from './views/sla.js';
import { renderLogin } from './views/login.js';
import { renderReports } from './views/reports.js';
import { renderReportSettings } from './views/report-settings.js';

const headerEl = document.getElementById('app-header');
const mainEl = document.getElementById('app');

let ready = false;
let renderSeq = 0;
let lastPath = null;
let lastSignedIn = isSignedIn();
/** Whether the page on screen is the notice for a page the role cannot use (re-drawn when that changes). */
let notForRoleShown = false;
/** A 401 came before the app was ready (stored tokens no longer valid): show 登录 once ready. */
let signInPending = false;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const i = raw.indexOf('?');
  return { path: i < 0 ? raw : raw.slice(0, i), query: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)) };
}

// ---------------------------------------------------------------------------------------------
// Header

// `roles`: only for the roles the API lets use the page (it refuses the others); the others are
// shown why in its place, with a switch to `switchTo` (demo).
// `render(root, ctx, query)` draws the page.
const NAV = [
  { path: '/intake', key: 'nav.intake', roles: INTAKE_ROLES, switchTo: 'clerk', render: renderIntake },
  { path: '/queue', key: 'nav.queue', render: renderQueue },
  { path: '/dispatch', key: 'nav.dispatch', roles: DISPATCH_ROLES, switchTo: 'dispatcher', render: renderDispatch },
  { path: '/feedback', key: 'nav.feedback', roles: FEEDBACK_ROLES, switchTo: 'follow_up', render: renderFeedback },
  { path: '/reports', key: 'nav.reports', roles: REPORT_ROLES, switchTo: 'leader', render: renderReports },
  // Administration: in the menu for administrators; others can still open the pages read-only.
  { path: '/admin/calendar', key: 'nav.calendar', admin: true, render: renderCalendar },
  { path: '/admin/sla', key: 'nav.sla', admin: true, render: renderSla },
  // 统计口径: administrators change it; leaders and supervisors read it beside their reports.
  { path: '/admin/report-settings', key: 'nav.reportSettings', admin: true, roles: REPORT_ROLES, switchTo: 'leader', render: renderReportSettings },
];

function navLinks(path) {
  const admin = isAdmin();
  const { role } = getIdentity();
  return NAV.filter((n) => (n.roles ? n.roles.includes(role) : !n.admin || admin))
    .map((n) => h('a', { href: `#${n.path}`, 'data-path': n.path, class: n.admin ? 'nav-admin' : null, 'aria-current': path.startsWith(n.path) ? 'page' : null }, t(n.key)));
}

/** The start page of whoever acts now. */
const home = () => homePath(getIdentity().role);

/** The page at `path` when the acting role may not use it (what to say instead), else undefined. */
const refusedPage = (path, role = getIdentity().role) => NAV.find((n) => n.path === path && n.roles && !n.roles.includes(role));

/** In place of a page the acting role cannot use: why, the way to their own start page, and (demo) a role switch. */
function notForRole(page) {
  const me = getIdentity();
  const roles = page.roles.map((r) => label('role', r)).join(t('app.listSep'));
  return h('div', null,
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t(page.key))),
    h('div', { class: 'banner banner-info', role: 'note', id: 'not-for-role' },
      h('p', null, t('app.notForRole', { page: t(page.key), roles, role: label('role', me.role) })),
      h('div', { class: 'hint-buttons' },
        h('a', { class: 'btn btn-small', href: `#${home()}` }, t('app.goHome', { page: t(navKeyOf(home())) })),
        canSwitchIdentity() ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => setIdentity({ role: page.switchTo }) },
          t('app.switchRole', { role: label('role', page.switchTo) })) : null)));
}

const navKeyOf = (path) => NAV.find((n) => n.path === path)?.key ?? 'nav.queue';

function renderHeader() {
  const { path } = parseHash();
  const { form: search } = trackingLookupForm({ id: 'search-no', formClass: 'search', errorClass: 'search-error', labelClass: 'sr-only', buttonClass: 'btn btn-search', clearOnHit: true });

  const lang = h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('lang.label') },
    LANGS.map((l) => h('button', {
      type: 'button', lang: l, class: 'lang-btn', 'aria-pressed': String(getLang() === l),
      onclick: () => setLang(l),
    }, t(`lang.${l}`))));

  // Someone not signed in, where the server does not take the demo identity, sees only 登录.
  const working = isSignedIn() || devIdentityAllowed();
  mount(headerEl,
    h('div', { class: 'topbar' }, h('div', { class: 'topbar-inner' },
      h('a', { class: 'brand', href: working ? '#/' : '#/login' },
        h('span', { class: 'brand-mark' }, '12345'),
        h('span', { class: 'brand-text' }, h('strong', null, t('app.brand')), h('small', null, t('app.subtitle')))),
      working ? h('nav', { class: 'mainnav', id: 'mainnav', 'aria-label': t('nav.label') }, navLinks(path)) : null,
      working ? search : null,
      lang,
      userBox())),
    h('div', { class: 'actingbar', id: 'actingbar' }));
  renderActingBar();
}

/** The signed-in user (name, role, unit) with 退出; or the 登录 link. */
function userBox() {
  const user = signedInUser();
  if (!user) {
    if (!ready || parseHash().path === '/login') return null;
    return h('div', { class: 'userbox' }, h('a', { class: 'btn btn-small btn-signin', id: 'signin-link', href: signInHash() }, t('auth.signIn')));
  }
  const unit = user.unitId ? displayName(ref.unitById.get(user.unitId) ?? { name: '' }) : '';
  return h('div', { class: 'userbox', id: 'userbox' },
    h('span', { class: 'user-who' },
      h('span', { class: 'sr-only' }, t('auth.signedInAs')),
      h('strong', { class: 'user-name', id: 'user-name' }, user.displayName),
      h('span', { class: 'user-role', id: 'user-role' }, [label('role', user.role), unit ? ` · ${unit}` : ''].join(''))),
    h('button', { type: 'button', class: 'btn btn-small btn-signout', id: 'signout', onclick: () => void doSignOut() }, t('auth.signOut')));
}

function signInHash() {
  const here = location.hash.replace(/^#/, '');
  return here && !here.startsWith('/login') ? `#/login?next=${encodeURIComponent(here)}` : '#/login';
}

async function doSignOut() {
  // Forgetting the session fires identitychange, which draws the header again.
  await signOut();
  if (devIdentityAllowed()) {
    void route({ quiet: true });
  } else {
    location.hash = '#/login';
    renderHeader();
  }
}

/** After 登录: reference data (units, categories) for the views, then where they were going. */
async function afterSignIn(next) {
  try {
    await loadReference();
  } catch (err) {
    mount(mainEl, errorBanner(err, t('app.loadFailed')));
    return;
  }
  const me = getIdentity();
  // Back where they were going, unless that is a page their role cannot use (a leader sent to 受理登记).
  const nextPath = next?.split('?')[0] ?? '';
  const usable = next && !next.startsWith('/login') && nextPath !== '/' && !refusedPage(nextPath, me.role);
  const target = usable ? next : homePath(me.role);
  renderHeader();
  if (location.hash === `#${target}`) void route({ focus: true });
  else location.hash = `#${target}`;
}

function renderActingBar() {
  const bar = document.getElementById('actingbar');
  if (!bar) return;
  // The demo identity only for someone not signed in, and only when the server accepts it.
  bar.hidden = !canSwitchIdentity() || !ready;
  if (bar.hidden) {
    mount(bar);
    return;
  }
  const me = getIdentity();
  const role = h('select', {
    id: 'acting-role',
    onchange: (e) => setIdentity(rolePatch(e.target.value, me.unitId)),
  }, ACTING_ROLES.map((r) => h('option', { value: r, selected: r === me.role }, label('role', r))));
  let unit = null;
  if (me.role === 'leader') {
    // A leader leads a city or a district (the reports' scope); no unit would mean everything.
    const fits = LEADER_UNIT_KINDS.includes(ref.unitById.get(me.unitId)?.kind);
    unit = h('select', {
      id: 'acting-unit', class: fits ? '' : 'needs-value',
      onchange: (e) => setIdentity({ unitId: e.target.value || null }),
    },
    fits ? null : h('option', { value: '', selected: true }, t('acting.unitNone')),
    leaderUnitOptgroups(me.unitId));
  } else if (UNIT_ROLES.includes(me.role)) {
    const known = me.unitId && ref.unitById.has(me.unitId);
    unit = h('select', {
      id: 'acting-unit', class: known ? '' : 'needs-value',
      onchange: (e) => setIdentity({ unitId: e.target.value || null }),
    },
    h('option', { value: '' }, t('acting.unitNone')),
    unitOptgroups(me.unitId));
  }
  mount(bar, h('div', { class: 'actingbar-inner' },
    h('span', { class: 'acting-label', id: 'acting-label' }, t('acting.label')),
    h('label', { for: 'acting-role', class: 'sr-only' }, `${t('acting.label')} · ${t('acting.role')}`),
    role,
    unit ? h('label', { for: 'acting-unit', class: 'sr-only' }, `${t('acting.label')} · ${t('acting.unit')}`) : null,
    unit,
    h('span', { class: 'acting-note' }, t('acting.note'))));
}

/**
 * A role switch in the demo identity, with a unit that suits the new role: a leader a city or
 * district (郑州市 to start with), a handler or department head not a city or district.
 */
function rolePatch(role, unitId) {
  const kind = unitId ? ref.unitById.get(unitId)?.kind : null;
  if (role === 'leader') return { role, unitId: LEADER_UNIT_KINDS.includes(kind) ? unitId : defaultLeaderUnit() };
  if (UNIT_ROLES.includes(role) && LEADER_UNIT_KINDS.includes(kind)) return { role, unitId: null };
  return { role };
}

function cities() {
  return ref.units.filter((u) => u.kind === 'city').sort(byName);
}

/** 郑州市 when there is such a city, else the first city; null (everything) without cities. */
function defaultLeaderUnit() {
  const all = cities();
  return (all.find((c) => c.name === '郑州市') ?? all[0])?.id ?? null;
}

/** The leader's units: each city, then its districts. */
function leaderUnitOptgroups(selected) {
  return cities().map((c) => h('optgroup', { label: displayName(c) },
    h('option', { value: c.id, selected: c.id === selected }, t('acting.wholeCity', { city: displayName(c) })),
    childrenOf(c.id, 'district').map((d) => h('option', { value: d.id, selected: d.id === selected }, displayName(d)))));
}

function updateNavCurrent(path) {
  for (const a of headerEl.querySelectorAll('.mainnav a')) {
    if (path.startsWith(a.dataset.path)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---------------------------------------------------------------------------------------------
// Router

async function route({ focus = false, quiet = false } = {}) {
  if (!ready) return;
  const seq = ++renderSeq;
  const ctx = { alive: () => seq === renderSeq };
  const { path, query } = parseHash();
  updateNavCurrent(path);
  let m;
  let titleKey = null;
  if (path === '/login') {
    if (isSignedIn()) {
      location.replace(`#${query.get('next') || home()}`);
      return;
    }
    renderLogin(mainEl, ctx, query, { onSignedIn: afterSignIn });
    document.title = `${t('login.heading')} · ${t('app.title')}`;
    return;
  }
  if (!isSignedIn() && !devIdentityAllowed()) {
    location.replace(signInHash());
    return;
  }
  if (path === '/' || path === '') {
    location.replace(`#${home()}`);
    return;
  }
  const refused = refusedPage(path);
  notForRoleShown = !!refused;
  const page = NAV.find((n) => n.path === path);
  if (refused) {
    titleKey = refused.key;
    mount(mainEl, notForRole(refused));
  } else if (page) {
    titleKey = page.key;
    await page.render(mainEl, ctx, query);
  } else if ((m = path.match(/^\/petition\/([0-9a-f-]{36})$/i))) {
    titleKey = 'petition.heading';
    await renderPetition(mainEl, ctx, m[1], { quiet });
  } else if ((m = path.match(/^\/track\/([0-9\s-]+)$/))) {
    mount(mainEl, loadingLine());
    const problem = await lookupTrackingNumber(decodeURIComponent(m[1]));
    if (problem && ctx.alive()) mount(mainEl, infoBanner(problem, 'error'));
    return;
  } else {
    mount(mainEl, h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('app.notFound'))),
      h('p', null, h('a', { href: `#${home()}` }, t(navKeyOf(home())))));
  }
  if (!ctx.alive()) return;
  document.title = `${titleKey ? `${t(titleKey)} · ` : ''}${t('app.title')}`;
  if (focus) mainEl.querySelector('h1')?.focus({ preventScroll: false });
}

window.addEventListener('hashchange', () => {
  const searchError = document.getElementById('search-no-error');
  if (searchError) searchError.hidden = true;
  const { path } = parseHash();
  const changed = path !== lastPath;
  // The 登录 link and header depend on the page (no link on the sign-in page itself).
  if (changed && (path === '/login' || lastPath === '/login')) renderHeader();
  lastPath = path;
  if (changed) window.scrollTo(0, 0);
  void route({ focus: changed });
});

window.addEventListener('langchange', () => {
  renderHeader();
  void route({ quiet: true });
});

window.addEventListener('identitychange', () => {
  if (isSignedIn() !== lastSignedIn) {
    // Signed in or out: the header changes; the router takes it from there.
    lastSignedIn = isSignedIn();
    if (ready) renderHeader();
    return;
  }
  renderActingBar();
  // The administration links show for administrators only.
  const nav = document.getElementById('mainnav');
  if (nav) mount(nav, navLinks(parseHash().path));
  // The petition view's hints, the administration pages' editing and the reports' scope depend on who is acting.
  const { path } = parseHash();
  // 受理登记 and 人工派单 only when the role's access changed (a form being filled in stays as it is).
  const accessChanged = notForRoleShown !== !!refusedPage(path);
  if (path.startsWith('/petition/') || path.startsWith('/admin/') || path === '/reports' || accessChanged) void route({ quiet: true });
});

// A 401 other than an expired token (which api() refreshes): the session is gone, sign in again.
window.addEventListener('signinrequired', () => {
  lastSignedIn = false;
  if (!ready) {
    signInPending = true;
    return;
  }
  renderHeader();
  if (parseHash().path !== '/login') location.hash = signInHash();
});

// The skip link must not touch the hash (the router owns it).
document.querySelector('.skip-link')?.addEventListener('click', (e) => {
  e.preventDefault();
  (mainEl.querySelector('h1') ?? mainEl).focus();
});

async function start() {
  renderHeader();
  mount(mainEl, loadingLine());
  try {
    await loadAuthConfig();
    // Stored tokens (this tab, sessionStorage): who they belong to; a dead session is cleared.
    await loadMe().catch((err) => { if (err?.status !== 401) throw err; });
    if (isSignedIn() || devIdentityAllowed()) await loadReference();
  } catch (err) {
    mount(mainEl, errorBanner(err, t('app.loadFailed')),
      h('button', { type: 'button', class: 'btn', onclick: () => void start() }, t('app.retry')));
    return;
  }
  ready = true;
  lastPath = parseHash().path;
  renderHeader();
  if (signInPending && lastPath !== '/login') {
    signInPending = false;
    location.replace(signInHash());
    return;
  }
  await route();
}

void start();
