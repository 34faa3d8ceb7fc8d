import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { chinaDateTime, chinaDay, type Measures, type RankingClass } from '@petitions/domain';
import type { HotIssue, Period, RankingRow, SummaryReport, TrendPoint } from './reports.js';

/** A report as a sheet: one header row and the rows beneath, numbers as numbers. */
export interface Table {
  /** What the report is, its scope and period: the workbook's first row and the download's file name. */
  title: string;
  /** Short sheet name. */
  sheet: string;
  headers: string[];
  rows: (string | number | null)[][];
}

export type Lang = 'zh' | 'en';
type Label = [zh: string, en: string];
const pick = (l: Label, lang: Lang) => (lang === 'zh' ? l[0] : l[1]);

const pct = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 100);
const hours = (s: number | null) => (s === null ? null : Math.round((s / 3600) * 10) / 10);
const score = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** The measure columns every grouped report shares, in the order leaders read them. */
const MEASURE_COLUMNS: [Label, (m: Measures) => number | null][] = [
  [['受理量', 'Received'], (m) => m.received],
  [['派单量', 'Dispatched'], (m) => m.dispatched],
  [['待签收(未到期)', 'Awaiting sign-for (in time)'], (m) => m.awaitingSignFor],
  [['响应率(%)', 'Response rate (%)'], (m) => pct(m.responseRate)],
  [['解决率(%)', 'Resolution rate (%)'], (m) => pct(m.resolutionRate)],
  [['满意率(%)', 'Satisfaction rate (%)'], (m) => pct(m.satisfactionRate)],
  [['满意度得分', 'Satisfaction score'], (m) => score(m.satisfactionScore)],
  [['按期办结率(%)', 'On-time completion (%)'], (m) => pct(m.onTimeRate)],
  [['退单率(%)', 'Return rate (%)'], (m) => pct(m.returnRate)],
  [['重办率(%)', 'Reopen rate (%)'], (m) => pct(m.redoRate)],
  [['办结量', 'Completed'], (m) => m.completed],
  [['回访量', 'Rated'], (m) => m.rated],
  [['未回访办结', 'Closed without feedback'], (m) => m.noFeedback],
  [['在办量', 'Open'], (m) => m.open],
  [['超期量', 'Overdue'], (m) => m.overdue],
  [['平均签收用时(小时)', 'Mean time to sign (h)'], (m) => hours(m.meanTimeToSign)],
  [['签收用时P90(小时)', 'P90 time to sign (h)'], (m) => hours(m.p90TimeToSign)],
  [['平均办结用时(小时)', 'Mean time to complete (h)'], (m) => hours(m.meanTimeToComplete)],
  [['办结用时P90(小时)', 'P90 time to complete (h)'], (m) => hours(m.p90TimeToComplete)],
  [['综合得分', 'Composite score'], (m) => score(m.compositeScore)],
];

const GROUP_LABELS: Record<string, Label> = {
  unit: ['承办单位', 'Unit'], street: ['街道', 'Street'], community: ['社区', 'Community'], category: ['诉求分类', 'Category'], channel: ['受理渠道', 'Channel'],
};
const CLASS_LABELS: Record<RankingClass, Label> = {
  advanced: ['先进', 'Advanced'], improved: ['进步', 'Improved'], rectify: ['整改', 'Rectify'], governance: ['治理(重点督办)', 'Governance (special supervision)'],
};
const periodText = (p: Pick<Period, 'from' | 'to'>) => `${p.from} ~ ${p.to}`;
const titled = (what: Label, scope: string, when: string, lang: Lang) => ({ title: `${pick(what, lang)} ${scope} ${when}`, sheet: pick(what, lang) });

export function summaryTable(r: SummaryReport, lang: Lang, scope: string): Table {
  return {
    ...titled(['诉求办理统计', 'Petition measures'], scope, periodText(r.period), lang),
    headers: [pick(GROUP_LABELS[r.groupBy]!, lang), ...MEASURE_COLUMNS.map(([l]) => pick(l, lang))],
    rows: [
      ...r.rows.map((row) => [lang === 'zh' ? row.name : row.nameEn, ...MEASURE_COLUMNS.map(([, f]) => f(row.measures))]),
      [pick(['合计', 'Total'], lang), ...MEASURE_COLUMNS.map(([, f]) => f(r.total))],
    ],
  };
}

export function rankingTable(r: { period: Period; groupBy: 'street' | 'unit'; rows: RankingRow[] }, lang: Lang, scope: string): Table {
  return {
    ...titled(['综合排名', 'Ranking'], scope, periodText(r.period), lang),
    headers: [
      pick(['名次', 'Rank'], lang), pick(GROUP_LABELS[r.groupBy]!, lang), pick(['综合得分', 'Composite score'], lang),
      pick(['响应率(%)', 'Response rate (%)'], lang), pick(['解决率(%)', 'Resolution rate (%)'], lang), pick(['满意率(%)', 'Satisfaction rate (%)'], lang),
      pick(['受理量', 'Received'], lang), pick(['上期名次', 'Previous rank'], lang), pick(['类别', 'Classes'], lang),
    ],
    rows: r.rows.map((row) => [
      row.rank, lang === 'zh' ? row.name : row.nameEn, score(row.score), pct(row.responseRate), pct(row.resolutionRate), pct(row.satisfactionRate),
      row.received, row.previousRank, row.classes.map((c) => pick(CLASS_LABELS[c], lang)).join(lang === 'zh' ? '、' : ', '),
    ]),
  };
}

export function trendTable(r: { from: string; to: string; points: TrendPoint[] }, lang: Lang, scope: string): Table {
  const cols = MEASURE_COLUMNS.filter(([l]) => !['在办量', '超期量', '待签收(未到期)', '签收用时P90(小时)', '办结用时P90(小时)'].includes(l[0]));
  return {
    ...titled(['月度趋势', 'Monthly trend'], scope, periodText(r), lang),
    headers: [pick(['月份', 'Month'], lang), ...cols.map(([l]) => pick(l, lang))],
    rows: r.points.map((p) => [p.month, ...cols.map(([, f]) => f(p.measures))]),
  };
}

export function hotIssuesTable(r: { period: Period; items: HotIssue[] }, lang: Lang, scope: string): Table {
  return {
    ...titled(['热点问题', 'Hot issues'], scope, periodText(r.period), lang),
    headers: [pick(['序号', 'No.'], lang), pick(['诉求分类', 'Category'], lang), pick(['街道', 'Street'], lang), pick(['本期受理量', 'Received'], lang),
      pick(['上期受理量', 'Previous period'], lang), pick(['增长率(%)', 'Growth (%)'], lang)],
    rows: r.items.map((i, n) => [n + 1, lang === 'zh' ? i.category : i.categoryEn, lang === 'zh' ? i.street : i.streetEn, i.received, i.previous, pct(i.growth)]),
  };
}

/** One line of the overdue list as the API answers it. */
export interface OverdueLine {
  petitionId: string;
  trackingNo: string;
  title: string;
  state: string;
  urgency: string;
  categoryId: string;
  category: string;
  categoryEn: string;
  unitId: string;
  unit: string;
  unitEn: string;
  step: 'sign_for' | 'handling';
  /** ISO instant. */
  dueAt: string;
  overdueHours: number;
  districtId: string;
  streetId: string | null;
}

export function overdueTable(r: { asOf: string; items: OverdueLine[] }, lang: Lang, scope: string): Table {
  return {
    ...titled(['超期件清单', 'Overdue list'], scope, chinaDay(r.asOf), lang),
    headers: [pick(['受理编号', 'Tracking no.'], lang), pick(['标题', 'Title'], lang), pick(['诉求分类', 'Category'], lang), pick(['承办单位', 'Unit'], lang),
      pick(['超期环节', 'Overdue step'], lang), pick(['时限(北京时间)', 'Deadline (Beijing time)'], lang), pick(['已超期(小时)', 'Overdue by (h)'], lang)],
    rows: r.items.map((i) => [
      i.trackingNo, i.title, lang === 'zh' ? i.category : i.categoryEn, lang === 'zh' ? i.unit : i.unitEn,
      i.step === 'sign_for' ? pick(['签收', 'Sign-for'], lang) : pick(['办理', 'Handling'], lang),
      chinaDateTime(new Date(i.dueAt)), i.overdueHours,
    ]),
  };
}

/** UTF-8 with a byte-order mark, so Excel opens the Chinese headers correctly. */
export function toCsv(t: Table): Buffer {
  return Buffer.from(`\ufeff${stringify([t.headers, ...t.rows])}`, 'utf8');
}

/** Display width in Excel's units: a Chinese character takes two; the column fits its widest cell, between 8 and 60. */
function columnWidth(cells: readonly (string | number | null | undefined)[]): number {
  let widest = 0;
  for (const cell of cells) {
    const text = cell === null || cell === undefined ? '' : String(cell);
    let w = 0;
    for (const ch of text) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
    widest = Math.max(widest, w);
  }
  return Math.max(8, Math.min(60, widest + 2));
}

/** A workbook: the title (what, scope, period) and the time of export above the header row. */
export async function toXlsx(t: Table, lang: Lang, exportedAt: Date): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'petitions';
  book.created = exportedAt;
  const sheet = book.addWorksheet(t.sheet);
  sheet.addRow([t.title]).font = { bold: true, size: 14 };
  sheet.addRow([`${pick(['导出时间', 'Exported'], lang)} ${chinaDateTime(exportedAt)} ${pick(['(北京时间)', '(Beijing time)'], lang)}`]);
  sheet.addRow(t.headers).font = { bold: true };
  for (const row of t.rows) sheet.addRow(row);
  sheet.views = [{ state: 'frozen', ySplit: 3 }];
  sheet.columns.forEach((c, i) => { c.width = columnWidth([t.headers[i], ...t.rows.map((r) => r[i])]); });
  return Buffer.from(await book.xlsx.writeBuffer());
}
