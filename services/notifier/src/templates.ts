/**
 * Message templates, Chinese first. Placeholders: {trackingNo}. No personal data in any template.
 * Messages to residents are SMS-sized: at most 70 Chinese characters rendered (one SMS segment).
 */
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
  petition_received: {
    zh: '【12345】您的诉求已受理，编号{trackingNo}，可凭编号查询办理进度。',
    en: '[12345] Your request was received: tracking number {trackingNo}. Use it to follow progress.',
  },
  petition_completed: {
    zh: '【12345】您的诉求{trackingNo}已办理完毕，办理结果可凭编号查询。',
    en: '[12345] Your request {trackingNo} has been handled. Look up the result with its number.',
  },
  handling_reminder: {
    zh: '【12345催办】工单 {trackingNo} 办理时限将至，请抓紧办结。',
    en: '[12345 reminder] Petition {trackingNo} is nearing its handling deadline. Please complete it.',
  },
  handling_escalated: {
    zh: '【12345通报】工单 {trackingNo} 超期已满5个工作日仍未办结，请领导关注。',
    en: '[12345 report] Petition {trackingNo} is 5 working days past its deadline and still open.',
  },
  handling_overdue: {
    zh: '【12345督办】工单 {trackingNo} 已超过办理时限。',
    en: '[12345 supervision] Petition {trackingNo} is past its handling deadline.',
  },
  feedback_request: {
    zh: '【12345】您反映的诉求 {trackingNo} 已办结，请对办理结果进行评价。',
    en: '[12345] Your petition {trackingNo} has been completed. Please rate the result.',
  },
  task_returned: {
    zh: '【12345】工单 {trackingNo} 被承办单位退回，请重新派单。',
    en: '[12345] Petition {trackingNo} was returned by the assigned unit. Please dispatch it again.',
  },
  extension_requested: {
    zh: '【12345】工单 {trackingNo} 申请延期，请审批。',
    en: '[12345] An extension was requested for petition {trackingNo}. Please decide.',
  },
  extension_approved: {
    zh: '【12345】工单 {trackingNo} 的延期申请已批准，办理时限已顺延。',
    en: '[12345] The extension for petition {trackingNo} was approved; the deadline has moved.',
  },
  extension_denied: {
    zh: '【12345】工单 {trackingNo} 的延期申请未获批准，请按原时限办结。',
    en: '[12345] The extension for petition {trackingNo} was denied; the original deadline stands.',
  },
  suspension_requested: {
    zh: '【12345】工单 {trackingNo} 申请挂起，请审批。',
    en: '[12345] Suspension was requested for petition {trackingNo}. Please decide.',
  },
  suspension_approved: {
    zh: '【12345】工单 {trackingNo} 已挂起，办理计时暂停。',
    en: '[12345] Petition {trackingNo} is suspended; its clock is paused.',
  },
  suspension_denied: {
    zh: '【12345】工单 {trackingNo} 的挂起申请未获批准。',
    en: '[12345] Suspension of petition {trackingNo} was denied.',
  },
  review_requested: {
    zh: '【12345】工单 {trackingNo} 已办结，请进行质量审核。',
    en: '[12345] Petition {trackingNo} was completed and awaits quality review.',
  },
  sent_back: {
    zh: '【12345】工单 {trackingNo} 审核未通过，已退回重新办理。',
    en: '[12345] Petition {trackingNo} did not pass review and was sent back.',
  },
  redo_assigned: {
    zh: '【12345】群众对工单 {trackingNo} 的办理结果不满意，请重新办理。',
    en: '[12345] The resident is dissatisfied with petition {trackingNo}; it must be handled again.',
  },
  unresolved_flagged: {
    zh: '【12345督办】工单 {trackingNo} 经两次重办仍不满意，已按未解决归档并标记督办。',
    en: '[12345 supervision] Petition {trackingNo} closed unresolved after two redos and is flagged.',
  },
  petition_merged: {
    zh: '【12345】您反映的诉求 {trackingNo} 与已有诉求相同，已合并办理，办理结果将一并告知。',
    en: '[12345] Your petition {trackingNo} duplicates an existing one and was merged; you will hear the result with it.',
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
