// Tracking number (受理编号) → petition view.
import { api, ApiError, errorText } from './api.js';
import { t } from '../i18n.js';

const TRACKING_NO = /^[0-9]{16,20}$/;

/** Look the number up and open the petition; returns an error message, or null when it navigated. */
export async function lookupTrackingNumber(raw) {
  const no = String(raw ?? '').replace(/[\s-]/g, '');
  if (!TRACKING_NO.test(no)) return t('search.invalid');
  try {
    const { data } = await api(`/petitions/by-tracking-number/${no}`);
    location.hash = `#/petition/${data.id}`;
    return null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return t('search.notFound', { no });
    return errorText(err);
  }
}
