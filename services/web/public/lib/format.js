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

/** An open task's time left, unless its petition is suspended (挂起): its clock is stopped then. */
export function taskTimeLeft(petitionState, ms) {
  return petitionState === 'suspended' ? { text: t('deadline.paused'), overdue: false } : timeLeft(ms);
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** 0 = Sunday … 6 = Saturday of an instant, in Beijing time (China has no DST). */
export function weekdayOf(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : new Date(d.getTime() + SHANGHAI_OFFSET_MS).getUTCDay();
}

/** 2026/03/05 17:30 周四 (Beijing time, with the day of the week). */
export function formatTimeWithWeekday(iso) {
  const wd = weekdayOf(iso);
  return wd === null ? formatTime(iso) : `${formatTime(iso)} ${t(`weekday.${wd}`)}`;
}

/**
 * Working time as hours and minutes (12小时30分): a working day is 7 hours, not 24, so days
 * would mislead.
 */
export function formatWorkingSpan(ms) {
  const totalMin = Math.floor(Math.abs(ms) / 60000);
  if (totalMin < 1) return t('duration.lessThanMinute');
  const hours = Math.floor(totalMin / 60);
  const minutes = totalMin % 60;
  const parts = [];
  if (hours > 0) parts.push(t('duration.hours', { n: hours }));
  if (minutes > 0 || hours === 0) parts.push(t('duration.minutes', { n: minutes }));
  return parts.join(t('duration.join'));
}

/** 'YYYY-MM-DDTHH:mm' of an instant in Beijing time, for <input type="datetime-local">. */
export function beijingInputValue(date = new Date()) {
  return new Date(date.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** The instant of a Beijing wall-clock 'YYYY-MM-DDTHH:mm', whatever the browser's time zone; null if malformed. */
export function fromBeijingInput(value) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value ?? '')) return null;
  const d = new Date(`${value}:00+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Today's date 'YYYY-MM-DD' in Beijing. */
export function beijingToday() {
  return beijingInputValue().slice(0, 10);
}

/** 5 工作日 / 1 working day: an SLA duration { amount, unit }. */
export function durationText(d) {
  if (!d) return t('common.none');
  const oneKey = `unitOne.${d.unit}`;
  const one = d.amount === 1 ? t(oneKey) : oneKey;
  return t('sla.duration', { n: d.amount, unit: one !== oneKey ? one : t(`unit.${d.unit}`) });
}

/** A fraction as a percentage to one decimal (0.125 → 12.5). */
export const percentOf = (fraction) => Math.round(fraction * 1000) / 10;
