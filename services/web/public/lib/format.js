// Times in Asia/Shanghai, durations like 剩余 2小时15分 / 已超时 3小时.
import { t } from '../i18n.js';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hour12: false,
});
const dateTimeSeconds = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

/** 2026/11/22 14:05 (Beijing time). */
export function formatTime(iso, withSeconds = false) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return (withSeconds ? dateTimeSeconds : dateTime).format(d);
}

/** 2小时15分 / 3天4小时 / 15分: the two largest units, smaller ones dropped. */
export function formatSpan(ms) {
  const totalMin = Math.floor(Math.abs(ms) / 60000);
  if (totalMin < 1) return t('duration.lessThanMinute');
  const days = Math.floor(totalMin / 1440);
  const hours = Math.floor((totalMin % 1440) / 60);
  const minutes = totalMin % 60;
  const parts = [];
  if (days > 0) {
    parts.push(t('duration.days', { n: days }));
    if (hours > 0) parts.push(t('duration.hours', { n: hours }));
  } else if (hours > 0) {
    parts.push(t('duration.hours', { n: hours }));
    if (minutes > 0) parts.push(t('duration.minutes', { n: minutes }));
  } else {
    parts.push(t('duration.minutes', { n: minutes }));
  }
  return parts.join(t('duration.join'));
}

/** { text: '剩余 2小时15分' | '已超时 3小时', overdue } for a time left in ms (negative = overdue). */
export function timeLeft(ms) {
  if (ms === null || ms === undefined) return { text: t('common.none'), overdue: false };
  const overdue = ms < 0;
  return { text: t(overdue ? 'duration.overdue' : 'duration.left', { d: formatSpan(ms) }), overdue };
}
