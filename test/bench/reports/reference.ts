import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '@petitions/db';
import { zipfWeights, type Rng } from './random.js';

/**
 * The bench city's reference data, next to the demo data the bench database is seeded with:
 * 1 city, 5 districts, 80 streets (20/18/16/14/12), ~800 communities (5–15 a street), 40 departments
 * (the same 8 in each district) and 60 categories, each routed in every district to that district's
 * department for it. Generated ids, so the generator needs no read-back.
 */

export const DEPARTMENTS = {
  cgj: ['城市管理局', 'Urban Management Bureau'],
  zjj: ['住房和城乡建设局', 'Housing and Urban-Rural Development Bureau'],
  sthj: ['生态环境分局', 'Ecology and Environment Branch'],
  scjgj: ['市场监督管理局', 'Market Supervision Administration'],
  rsj: ['人力资源和社会保障局', 'Human Resources and Social Security Bureau'],
  jtj: ['交通运输局', 'Transport Bureau'],
  jyj: ['教育局', 'Education Bureau'],
  wjw: ['卫生健康委员会', 'Health Commission'],
} as const;
export type DepartmentKind = keyof typeof DEPARTMENTS;
export const DEPARTMENT_KINDS = Object.keys(DEPARTMENTS) as DepartmentKind[];

type Season = 'winter' | 'summer' | null;

/** The 60 categories, most frequent first (Zipf rank), with the department that handles them, days to handle and season. */
const CATEGORIES: readonly (readonly [string, string, DepartmentKind, number, Season])[] = [
  ['物业管理', 'Property management', 'zjj', 5, null],
  ['噪音扰民', 'Noise nuisance', 'cgj', 3, 'summer'],
  ['供暖问题', 'Heating', 'zjj', 1, 'winter'],
  ['拖欠工资', 'Unpaid wages', 'rsj', 5, null],
  ['消费维权', 'Consumer rights', 'scjgj', 5, null],
  ['占道经营', 'Street vending', 'cgj', 3, 'summer'],
  ['供水问题', 'Water supply', 'zjj', 1, 'summer'],
  ['道路破损', 'Damaged roads', 'jtj', 5, null],
  ['垃圾清运', 'Waste collection', 'cgj', 2, 'summer'],
  ['小区停车', 'Residential parking', 'zjj', 5, null],
  ['违章搭建', 'Illegal construction', 'cgj', 10, null],
  ['油烟扰民', 'Cooking fumes', 'sthj', 5, 'summer'],
  ['公交服务', 'Bus service', 'jtj', 5, null],
  ['社保缴纳', 'Social insurance contributions', 'rsj', 5, null],
  ['房屋漏水', 'Leaking homes', 'zjj', 3, 'summer'],
  ['电梯故障', 'Lift breakdowns', 'zjj', 1, null],
  ['食品安全', 'Food safety', 'scjgj', 3, 'summer'],
  ['路灯故障', 'Street lights', 'cgj', 3, 'winter'],
  ['预付卡退费', 'Prepaid card refunds', 'scjgj', 10, null],
  ['招生入学', 'School admission', 'jyj', 5, 'summer'],
  ['建筑工地扰民', 'Construction site nuisance', 'zjj', 3, 'summer'],
  ['燃气问题', 'Gas supply', 'zjj', 1, 'winter'],
  ['出租车投诉', 'Taxi complaints', 'jtj', 5, null],
  ['医疗服务', 'Medical services', 'wjw', 5, null],
  ['劳动合同', 'Employment contracts', 'rsj', 10, null],
  ['大气污染', 'Air pollution', 'sthj', 5, 'winter'],
  ['校外培训', 'Private tutoring', 'jyj', 5, null],
  ['井盖缺失', 'Missing manhole covers', 'cgj', 1, null],
  ['价格投诉', 'Pricing', 'scjgj', 5, null],
  ['老旧小区改造', 'Old estate renovation', 'zjj', 15, null],
  ['交通信号灯', 'Traffic lights', 'jtj', 2, null],
  ['医保报销', 'Medical insurance claims', 'rsj', 5, null],
  ['犬只管理', 'Dogs', 'cgj', 5, null],
  ['绿化养护', 'Green space upkeep', 'cgj', 5, 'summer'],
  ['共享单车', 'Shared bikes', 'jtj', 3, 'summer'],
  ['水污染', 'Water pollution', 'sthj', 5, 'summer'],
  ['虚假宣传', 'False advertising', 'scjgj', 10, null],
  ['学校收费', 'School fees', 'jyj', 5, null],
  ['养老金领取', 'Pension payments', 'rsj', 5, null],
  ['疫苗接种', 'Vaccination', 'wjw', 3, 'winter'],
  ['乱贴小广告', 'Fly-posting', 'cgj', 5, null],
  ['房产证办理', 'Property certificates', 'zjj', 15, null],
  ['网约车', 'Ride-hailing', 'jtj', 5, null],
  ['异味扰民', 'Odours', 'sthj', 5, 'summer'],
  ['无证经营', 'Unlicensed business', 'scjgj', 5, null],
  ['医院收费', 'Hospital charges', 'wjw', 5, null],
  ['停车收费', 'Parking charges', 'jtj', 5, null],
  ['校园安全', 'School safety', 'jyj', 3, null],
  ['流浪动物', 'Stray animals', 'cgj', 5, null],
  ['失业保险', 'Unemployment insurance', 'rsj', 5, null],
  ['公共维修基金', 'Maintenance funds', 'zjj', 15, null],
  ['药品安全', 'Drug safety', 'scjgj', 3, null],
  ['工业噪声', 'Industrial noise', 'sthj', 5, null],
  ['医患纠纷', 'Patient disputes', 'wjw', 10, null],
  ['户外广告', 'Outdoor advertising', 'cgj', 10, null],
  ['拆迁安置', 'Relocation', 'zjj', 15, null],
  ['学生课业负担', 'Homework load', 'jyj', 5, null],
  ['固废倾倒', 'Dumped solid waste', 'sthj', 3, null],
  ['公共卫生', 'Public health', 'wjw', 5, 'summer'],
  ['计划生育', 'Family planning', 'wjw', 10, null],
];

const DISTRICTS = [
  ['东湖区', 'Donghu District', 20],
  ['西城区', 'Xicheng District', 18],
  ['南港区', 'Nangang District', 16],
  ['北苑区', 'Beiyuan District', 14],
  ['高新区', 'Gaoxin District', 12],
] as const;
/** Share of the city's petitions per district (the larger districts have more streets too). */
const DISTRICT_SHARES = [0.28, 0.24, 0.2, 0.16, 0.12];

const STREET_WORDS = [
  '人民', '解放', '建设', '和平', '胜利', '新华', '中山', '文化', '朝阳', '光明', '幸福', '团结', '东风', '红旗', '长江', '黄河',
  '花园', '青年', '民主', '友谊', '金山', '银河', '龙湖', '凤凰', '翠竹', '松林', '柳湖', '桃源', '梅园', '兰亭', '菊香', '荷塘',
  '湖滨', '江畔', '海晏', '山水', '锦绣', '丰收', '东明', '西湖', '南阳', '北辰', '中原', '兴隆', '永安', '长寿', '福寿', '太平',
  '安康', '康宁', '宁远', '望江', '江南', '城北', '城东', '城西', '城南', '新村', '新城', '老街', '古城', '石桥', '铁塔', '钟楼',
  '鼓楼', '书院', '学府', '科技', '工业', '商贸', '物流', '航空', '铁路', '港湾', '滨河', '园区', '振兴', '繁荣', '育才', '春晖',
];
const COMMUNITY_WORDS = [
  '阳光', '翠园', '锦华', '绿景', '金桂', '银杏', '丽水', '康乐', '和谐', '紫荆', '碧波', '春华', '秋实', '枫林', '清泉', '晨曦',
  '瑞祥', '嘉禾', '怡景', '映月',
];

export interface BenchStreet {
  id: string;
  name: string;
  district: number;
  communities: string[];
  /** Share of its district's petitions. */
  weight: number;
  /** Zipf-like weights of its communities. */
  communityWeights: number[];
}

export interface BenchCategory {
  id: string;
  name: string;
  department: DepartmentKind;
  handlingDays: number;
  season: Season;
  /** Zipf weight before the season factor. */
  weight: number;
}

export interface BenchDistrict {
  id: string;
  name: string;
  share: number;
  streets: BenchStreet[];
  departments: Record<DepartmentKind, string>;
}

export interface BenchRefs {
  cityId: string;
  districts: BenchDistrict[];
  streets: BenchStreet[];
  categories: BenchCategory[];
  departments: number;
  communities: number;
}

/** Build the bench city's units and categories in memory; `rng` makes it reproducible apart from the ids. */
export function buildBenchRefs(rng: Rng): BenchRefs {
  const districts: BenchDistrict[] = [];
  const streets: BenchStreet[] = [];
  let word = 0;
  let communities = 0;
  for (const [d, [name, , streetCount]] of DISTRICTS.entries()) {
    const departments = Object.fromEntries(DEPARTMENT_KINDS.map((k) => [k, randomUUID()])) as Record<DepartmentKind, string>;
    const district: BenchDistrict = { id: randomUUID(), name, share: DISTRICT_SHARES[d]!, streets: [], departments };
    const weights = rng.shuffle(zipfWeights(streetCount, 0.8));
    for (let s = 0; s < streetCount; s++) {
      const nComm = 5 + rng.int(11);
      communities += nComm;
      const street: BenchStreet = {
        id: randomUUID(), name: `${STREET_WORDS[word++ % STREET_WORDS.length]}街道`, district: d,
        communities: Array.from({ length: nComm }, () => randomUUID()), weight: weights[s]!,
        communityWeights: rng.shuffle(zipfWeights(nComm, 0.5)),
      };
      district.streets.push(street);
      streets.push(street);
    }
    districts.push(district);
  }
  const catWeights = zipfWeights(CATEGORIES.length, 0.9);
  const categories = CATEGORIES.map(([name, , department, handlingDays, season], i): BenchCategory => ({
    id: randomUUID(), name, department, handlingDays, season, weight: catWeights[i]!,
  }));
  return { cityId: randomUUID(), districts, streets, categories, departments: districts.length * DEPARTMENT_KINDS.length, communities };
}

/** Write the bench city into org_units, categories and routing_rules (plain multi-row INSERTs). */
export async function insertBenchRefs(db: Db, refs: BenchRefs): Promise<void> {
  type Unit = { id: string; code: string; name: string; name_en: string | null; kind: 'city' | 'district' | 'street' | 'community' | 'department'; parent_id: string | null };
  const units: Unit[] = [{ id: refs.cityId, code: 'bench', name: '滨江市', name_en: 'Binjiang City (bench)', kind: 'city', parent_id: null }];
  for (const [d, district] of refs.districts.entries()) {
    units.push({ id: district.id, code: `bench-d${d + 1}`, name: district.name, name_en: DISTRICTS[d]![1], kind: 'district', parent_id: refs.cityId });
    for (const k of DEPARTMENT_KINDS) {
      units.push({
        id: district.departments[k], code: `bench-d${d + 1}-${k}`, name: `${district.name}${DEPARTMENTS[k][0]}`,
        name_en: `${DISTRICTS[d]![1]} ${DEPARTMENTS[k][1]}`, kind: 'department', parent_id: district.id,
      });
    }
  }
  for (const [s, street] of refs.streets.entries()) {
    units.push({ id: street.id, code: `bench-s${s + 1}`, name: street.name, name_en: null, kind: 'street', parent_id: refs.districts[street.district]!.id });
    for (const [c, id] of street.communities.entries()) {
      units.push({ id, code: `bench-s${s + 1}-c${c + 1}`, name: `${COMMUNITY_WORDS[(s + c) % COMMUNITY_WORDS.length]}${c + 1}社区`, name_en: null, kind: 'community', parent_id: street.id });
    }
  }
  // Parents first: the list is in that order already.
  for (let i = 0; i < units.length; i += 500) await db.insertInto('org_units').values(units.slice(i, i + 500)).execute();
  await db.insertInto('categories').values(refs.categories.map((c, i) => ({
    id: c.id, code: `bench.c${String(i + 1).padStart(2, '0')}`, name: c.name, name_en: CATEGORIES[i]![1], parent_id: null, extra_fields: '[]',
  }))).execute();
  const rules = refs.districts.flatMap((d) => refs.categories.map((c) => ({ category: c.id, area: d.id, lead: d.departments[c.department] })));
  await sql`
    INSERT INTO routing_rules (category_id, area_id, lead_unit_id, sla_class)
    SELECT category, area, lead, 'normal' FROM jsonb_to_recordset(${JSON.stringify(rules)}::jsonb) AS r(category uuid, area uuid, lead uuid)`.execute(db);
}
