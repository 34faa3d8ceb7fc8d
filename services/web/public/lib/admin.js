// Shared by the administration pages (工作日历, 时限标准): who may edit, the hint for everyone else,
// and removing an entry.
import { h, toast } from './dom.js';
import { label, t } from '../i18n.js';
import { api, errorText } from './api.js';
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

/**
 * After `question` is confirmed: DELETE `path`, then `onDeleted()` and the `deleted` toast, or the
 * error as a toast; the page reloads either way.
 */
export async function confirmDelete({ question, path, deleted, onDeleted }, reload) {
  if (!window.confirm(question)) return;
  try {
    await api(path, { method: 'DELETE' });
    onDeleted?.();
    toast(deleted, 'success');
  } catch (err) {
    toast(errorText(err), 'error');
  }
  await reload();
}
