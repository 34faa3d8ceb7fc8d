// Shared by the administration pages (工作日历, 时限标准): who may edit, and the hint for everyone else.
import { h } from './dom.js';
import { label, t } from '../i18n.js';
import { canSwitchIdentity, getIdentity, isAdmin, setIdentity } from './identity.js';

/** For a non-admin: "only administrators can change this" with a one-click switch; null for admins. */
export function readOnlyHint() {
  const me = getIdentity();
  if (isAdmin(me)) return null;
  if (!canSwitchIdentity()) return h('div', { class: 'acting-hint admin-hint', role: 'note' }, h('p', null, t('admin.readOnlySignedIn', { who: label('role', me.role) })));
  return h('div', { class: 'acting-hint admin-hint', role: 'note' },
    h('p', null, t('admin.readOnly', { who: label('role', me.role) })),
    h('div', { class: 'hint-buttons' },
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => setIdentity({ role: 'admin' }) }, t('admin.switch'))));
}
