/** Message templates, Chinese first. Placeholders: {trackingNo}. No personal data in any template. */
export const TEMPLATES: Record<string, { zh: string; en: string }> = {
  task_assigned: {
    zh: '【12345】您单位有新的诉求工单 {trackingNo}，请及时签收办理。',
    en: '[12345] Your unit has a new petition {trackingNo}. Please sign for it promptly.',
  },
  awaiting_dispatch: {
    zh: '【12345】诉求 {trackingNo} 无匹配派单规则，已进入人工派单队列。',
    en: '[12345] Petition {trackingNo} matched no routing rule and awaits manual dispatch.',
  },
  sign_for_overdue: {
    zh: '【12345督办】工单 {trackingNo} 已超过签收时限，请督促承办单位签收。',
    en: '[12345 supervision] Petition {trackingNo} is past its sign-for deadline.',
  },
  handling_overdue: {
    zh: '【12345督办】工单 {trackingNo} 已超过办理时限。',
    en: '[12345 supervision] Petition {trackingNo} is past its handling deadline.',
  },
  feedback_request: {
    zh: '【12345】您反映的诉求 {trackingNo} 已办结，请对办理结果进行评价。',
    en: '[12345] Your petition {trackingNo} has been completed. Please rate the result.',
  },
  petition_closed: {
    zh: '【12345】您的诉求 {trackingNo} 已归档，感谢您的支持。',
    en: '[12345] Your petition {trackingNo} is now closed. Thank you.',
  },
};

export function render(template: string, params: { trackingNo: string }): { zh: string; en: string } {
  const t = TEMPLATES[template];
  if (!t) throw new Error(`Unknown notification template "${template}"`);
  const fill = (s: string) => s.replaceAll('{trackingNo}', params.trackingNo);
  return { zh: fill(t.zh), en: fill(t.en) };
}
