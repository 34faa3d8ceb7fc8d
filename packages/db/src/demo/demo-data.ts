/**
 * Demo data for the 12345 petition engine.
 *
 * Pure data, no runtime logic. Place names, departments and complaints are taken from the five
 * "我为群众办实事" district reports in shared/seeds (Zhengzhou's 惠济区, 金水区, 二七区, 中原区 and
 * Zhumadian's 驿城区). Where a report names too few streets, well-known real streets of the district
 * are used. Community lists are deliberately small. Residents' names and phone numbers are FICTIONAL
 * (phones are in the 1380000xxxx range).
 */
import type { CategoryField } from '@petitions/domain';

export type OrgUnitKind = 'city' | 'district' | 'street' | 'community' | 'department' | 'centre';
export type Urgency = 'emergency' | 'utilities' | 'normal' | 'complex';
export type Channel = 'hotline' | 'web' | 'mobile' | 'walk_in' | 'door_to_door' | 'symposium' | 'questionnaire' | 'suggestion_box' | 'online_column' | 'letter' | 'open311';

export interface DemoOrgUnit { code: string; name: string; nameEn: string; kind: OrgUnitKind; parent: string | null /* parent code */ }
/** A category's extra field: the domain's own shape (labels, options with English, number bounds). */
export type DemoCategoryField = CategoryField;
export interface DemoCategory { code: string; name: string; nameEn: string; parent: string | null; extraFields?: DemoCategoryField[] }
export interface DemoRoutingRule { category: string /* category code */; area: string | null /* org unit code of a district/street/community, null = anywhere */; lead: string /* org unit code */; co: string[]; slaClass: Urgency }
export interface DemoPetition {
  kind: 'request' | 'inquiry'; channel: Channel; urgency: Urgency;
  category: string; district: string; street: string | null; community: string | null; // org unit codes
  title: string; content: string; locationText: string | null;
  contact: { name: string; phone: string; address: string | null } | null; // null = anonymous
}


// ---------------------------------------------------------------------------------------------
// Organisation tree: city -> district -> street (街道/镇/乡) -> community, plus each district's
// functional departments (parent = district) and one 12345 dispatch centre per city.
// ---------------------------------------------------------------------------------------------
export const DEMO_ORG_UNITS: DemoOrgUnit[] = [
  // Cities and their 12345 dispatch centres
  { code: 'zz', name: '郑州市', nameEn: 'Zhengzhou City', kind: 'city', parent: null },
  { code: 'zz-12345', name: '郑州市12345热线服务中心', nameEn: 'Zhengzhou 12345 Hotline Service Centre', kind: 'centre', parent: 'zz' },
  { code: 'zmd', name: '驻马店市', nameEn: 'Zhumadian City', kind: 'city', parent: null },
  { code: 'zmd-12345', name: '驻马店市12345政务服务便民热线中心', nameEn: 'Zhumadian 12345 Government Service Hotline Centre', kind: 'centre', parent: 'zmd' },

  // 惠济区: 大河路街道 (天河社区) and 迎宾路街道 (桂圆社区) are named in the report; the other streets are the district's real streets/towns.
  { code: 'zz-hj', name: '惠济区', nameEn: 'Huiji District', kind: 'district', parent: 'zz' },
  // streets
  { code: 'zz-hj-dahelu', name: '大河路街道', nameEn: 'Huiji District Dahelu Subdistrict', kind: 'street', parent: 'zz-hj' },
  { code: 'zz-hj-yingbinlu', name: '迎宾路街道', nameEn: 'Huiji District Yingbinlu Subdistrict', kind: 'street', parent: 'zz-hj' },
  { code: 'zz-hj-changxinglu', name: '长兴路街道', nameEn: 'Huiji District Changxinglu Subdistrict', kind: 'street', parent: 'zz-hj' },
  { code: 'zz-hj-xincheng', name: '新城街道', nameEn: 'Huiji District Xincheng Subdistrict', kind: 'street', parent: 'zz-hj' },
  { code: 'zz-hj-liuzhai', name: '刘寨街道', nameEn: 'Huiji District Liuzhai Subdistrict', kind: 'street', parent: 'zz-hj' },
  { code: 'zz-hj-laoyachen', name: '老鸦陈街道', nameEn: 'Huiji District Laoyachen Subdistrict', kind: 'street', parent: 'zz-hj' },
  { code: 'zz-hj-huayuankou', name: '花园口镇', nameEn: 'Huiji District Huayuankou Town', kind: 'street', parent: 'zz-hj' },
  // communities
  { code: 'zz-hj-dahelu-tianhe', name: '天河社区', nameEn: 'Tianhe Community', kind: 'community', parent: 'zz-hj-dahelu' },
  { code: 'zz-hj-yingbinlu-guiyuan', name: '桂圆社区', nameEn: 'Guiyuan Community', kind: 'community', parent: 'zz-hj-yingbinlu' },
  // functional departments
  { code: 'zz-hj-rsj', name: '惠济区人力资源和社会保障局', nameEn: 'Huiji District Human Resources and Social Security Bureau', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-zjj', name: '惠济区住房和城乡建设局', nameEn: 'Huiji District Housing and Urban-Rural Development Bureau', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-wjw', name: '惠济区卫生健康委员会', nameEn: 'Huiji District Health Commission', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-jyj', name: '惠济区教育局', nameEn: 'Huiji District Education Bureau', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-mzj', name: '惠济区民政局', nameEn: 'Huiji District Civil Affairs Bureau', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-sfj', name: '惠济区司法局', nameEn: 'Huiji District Justice Bureau', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-cgj', name: '惠济区城市管理局', nameEn: 'Huiji District Urban Management Bureau', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-jtj', name: '惠济区交通运输局', nameEn: 'Huiji District Transport Bureau', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-swj', name: '惠济区水务局', nameEn: 'Huiji District Water Affairs Bureau', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-cl', name: '惠济区残疾人联合会', nameEn: 'Huiji District Disabled Persons\' Federation', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-wltj', name: '惠济区文化旅游体育局', nameEn: 'Huiji District Culture, Tourism and Sports Bureau', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-scjgj', name: '惠济区市场监督管理局', nameEn: 'Huiji District Market Supervision Administration', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-fgw', name: '惠济区发展和改革委员会', nameEn: 'Huiji District Development and Reform Commission', kind: 'department', parent: 'zz-hj' },
  { code: 'zz-hj-sthj', name: '郑州市生态环境局惠济分局', nameEn: 'Zhengzhou Ecology and Environment Bureau Huiji Branch', kind: 'department', parent: 'zz-hj' },

  // 金水区 has 17 streets; eight are used. 园田社区 (东风路街道) is home to the 园田路 residents in the report.
  { code: 'zz-js', name: '金水区', nameEn: 'Jinshui District', kind: 'district', parent: 'zz' },
  // streets
  { code: 'zz-js-jingbalu', name: '经八路街道', nameEn: 'Jinshui District Jingbalu Subdistrict', kind: 'street', parent: 'zz-js' },
  { code: 'zz-js-huayuanlu', name: '花园路街道', nameEn: 'Jinshui District Huayuanlu Subdistrict', kind: 'street', parent: 'zz-js' },
  { code: 'zz-js-renminlu', name: '人民路街道', nameEn: 'Jinshui District Renminlu Subdistrict', kind: 'street', parent: 'zz-js' },
  { code: 'zz-js-duling', name: '杜岭街道', nameEn: 'Jinshui District Duling Subdistrict', kind: 'street', parent: 'zz-js' },
  { code: 'zz-js-wenhualu', name: '文化路街道', nameEn: 'Jinshui District Wenhualu Subdistrict', kind: 'street', parent: 'zz-js' },
  { code: 'zz-js-fengchanlu', name: '丰产路街道', nameEn: 'Jinshui District Fengchanlu Subdistrict', kind: 'street', parent: 'zz-js' },
  { code: 'zz-js-dongfenglu', name: '东风路街道', nameEn: 'Jinshui District Dongfenglu Subdistrict', kind: 'street', parent: 'zz-js' },
  { code: 'zz-js-nanyangxincun', name: '南阳新村街道', nameEn: 'Jinshui District Nanyangxincun Subdistrict', kind: 'street', parent: 'zz-js' },
  // communities
  { code: 'zz-js-duling-penggongci', name: '彭公祠街社区', nameEn: 'Penggongcijie Community', kind: 'community', parent: 'zz-js-duling' },
  { code: 'zz-js-duling-zhangzhai', name: '张砦街社区', nameEn: 'Zhangzhaijie Community', kind: 'community', parent: 'zz-js-duling' },
  { code: 'zz-js-dongfenglu-yuantian', name: '园田社区', nameEn: 'Yuantian Community', kind: 'community', parent: 'zz-js-dongfenglu' },
  { code: 'zz-js-dongfenglu-wenbei', name: '文北社区', nameEn: 'Wenbei Community', kind: 'community', parent: 'zz-js-dongfenglu' },
  // functional departments
  { code: 'zz-js-rsj', name: '金水区人力资源和社会保障局', nameEn: 'Jinshui District Human Resources and Social Security Bureau', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-zjj', name: '金水区住房和城乡建设局', nameEn: 'Jinshui District Housing and Urban-Rural Development Bureau', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-wjw', name: '金水区卫生健康委员会', nameEn: 'Jinshui District Health Commission', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-jyj', name: '金水区教育局', nameEn: 'Jinshui District Education Bureau', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-mzj', name: '金水区民政局', nameEn: 'Jinshui District Civil Affairs Bureau', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-sfj', name: '金水区司法局', nameEn: 'Jinshui District Justice Bureau', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-cgj', name: '金水区城市管理局', nameEn: 'Jinshui District Urban Management Bureau', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-jtj', name: '金水区交通运输局', nameEn: 'Jinshui District Transport Bureau', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-swj', name: '金水区水务局', nameEn: 'Jinshui District Water Affairs Bureau', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-cl', name: '金水区残疾人联合会', nameEn: 'Jinshui District Disabled Persons\' Federation', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-wltj', name: '金水区文化旅游体育局', nameEn: 'Jinshui District Culture, Tourism and Sports Bureau', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-scjgj', name: '金水区市场监督管理局', nameEn: 'Jinshui District Market Supervision Administration', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-fgw', name: '金水区发展和改革委员会', nameEn: 'Jinshui District Development and Reform Commission', kind: 'department', parent: 'zz-js' },
  { code: 'zz-js-sthj', name: '郑州市生态环境局金水分局', nameEn: 'Zhengzhou Ecology and Environment Bureau Jinshui Branch', kind: 'department', parent: 'zz-js' },

  // 二七区: 大学路街道 嵩山社区 (day-care centre) and 马寨 are named in the report; 德化街 / 汉江路 are the report's pedestrian street and smart-parking street.
  { code: 'zz-eq', name: '二七区', nameEn: 'Erqi District', kind: 'district', parent: 'zz' },
  // streets
  { code: 'zz-eq-dehuajie', name: '德化街街道', nameEn: 'Erqi District Dehuajie Subdistrict', kind: 'street', parent: 'zz-eq' },
  { code: 'zz-eq-daxuelu', name: '大学路街道', nameEn: 'Erqi District Daxuelu Subdistrict', kind: 'street', parent: 'zz-eq' },
  { code: 'zz-eq-wulibao', name: '五里堡街道', nameEn: 'Erqi District Wulibao Subdistrict', kind: 'street', parent: 'zz-eq' },
  { code: 'zz-eq-huaihelu', name: '淮河路街道', nameEn: 'Erqi District Huaihelu Subdistrict', kind: 'street', parent: 'zz-eq' },
  { code: 'zz-eq-jianzhongjie', name: '建中街街道', nameEn: 'Erqi District Jianzhongjie Subdistrict', kind: 'street', parent: 'zz-eq' },
  { code: 'zz-eq-changjianglu', name: '长江路街道', nameEn: 'Erqi District Changjianglu Subdistrict', kind: 'street', parent: 'zz-eq' },
  { code: 'zz-eq-mazhai', name: '马寨镇', nameEn: 'Erqi District Mazhai Town', kind: 'street', parent: 'zz-eq' },
  // communities
  { code: 'zz-eq-daxuelu-songshan', name: '嵩山社区', nameEn: 'Songshan Community', kind: 'community', parent: 'zz-eq-daxuelu' },
  // functional departments
  { code: 'zz-eq-rsj', name: '二七区人力资源和社会保障局', nameEn: 'Erqi District Human Resources and Social Security Bureau', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-zjj', name: '二七区住房和城乡建设局', nameEn: 'Erqi District Housing and Urban-Rural Development Bureau', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-wjw', name: '二七区卫生健康委员会', nameEn: 'Erqi District Health Commission', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-jyj', name: '二七区教育局', nameEn: 'Erqi District Education Bureau', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-mzj', name: '二七区民政局', nameEn: 'Erqi District Civil Affairs Bureau', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-sfj', name: '二七区司法局', nameEn: 'Erqi District Justice Bureau', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-cgj', name: '二七区城市管理局', nameEn: 'Erqi District Urban Management Bureau', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-jtj', name: '二七区交通运输局', nameEn: 'Erqi District Transport Bureau', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-swj', name: '二七区水务局', nameEn: 'Erqi District Water Affairs Bureau', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-cl', name: '二七区残疾人联合会', nameEn: 'Erqi District Disabled Persons\' Federation', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-wltj', name: '二七区文化旅游体育局', nameEn: 'Erqi District Culture, Tourism and Sports Bureau', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-scjgj', name: '二七区市场监督管理局', nameEn: 'Erqi District Market Supervision Administration', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-fgw', name: '二七区发展和改革委员会', nameEn: 'Erqi District Development and Reform Commission', kind: 'department', parent: 'zz-eq' },
  { code: 'zz-eq-sthj', name: '郑州市生态环境局二七分局', nameEn: 'Zhengzhou Ecology and Environment Bureau Erqi Branch', kind: 'department', parent: 'zz-eq' },

  // 中原区 has 14 streets and 102 communities; seven streets are used. 绿东村街道 is named in the report (its mediators settled noise and leaking-pipe disputes).
  { code: 'zz-zy', name: '中原区', nameEn: 'Zhongyuan District', kind: 'district', parent: 'zz' },
  // streets
  { code: 'zz-zy-linshanzhai', name: '林山寨街道', nameEn: 'Zhongyuan District Linshanzhai Subdistrict', kind: 'street', parent: 'zz-zy' },
  { code: 'zz-zy-jianshelu', name: '建设路街道', nameEn: 'Zhongyuan District Jianshelu Subdistrict', kind: 'street', parent: 'zz-zy' },
  { code: 'zz-zy-mianfanglu', name: '棉纺路街道', nameEn: 'Zhongyuan District Mianfanglu Subdistrict', kind: 'street', parent: 'zz-zy' },
  { code: 'zz-zy-sanguanmiao', name: '三官庙街道', nameEn: 'Zhongyuan District Sanguanmiao Subdistrict', kind: 'street', parent: 'zz-zy' },
  { code: 'zz-zy-lvdongcun', name: '绿东村街道', nameEn: 'Zhongyuan District Lyudongcun Subdistrict', kind: 'street', parent: 'zz-zy' },
  { code: 'zz-zy-ruhelu', name: '汝河路街道', nameEn: 'Zhongyuan District Ruhelu Subdistrict', kind: 'street', parent: 'zz-zy' },
  { code: 'zz-zy-tongbailu', name: '桐柏路街道', nameEn: 'Zhongyuan District Tongbailu Subdistrict', kind: 'street', parent: 'zz-zy' },
  // communities
  { code: 'zz-zy-lvdongcun-ershayi', name: '二砂一社区', nameEn: 'Ersha No.1 Community', kind: 'community', parent: 'zz-zy-lvdongcun' },
  { code: 'zz-zy-lvdongcun-sanmo', name: '三磨社区', nameEn: 'Sanmo Community', kind: 'community', parent: 'zz-zy-lvdongcun' },
  { code: 'zz-zy-lvdongcun-funiunan', name: '伏牛南社区', nameEn: 'Funiunan Community', kind: 'community', parent: 'zz-zy-lvdongcun' },
  // functional departments
  { code: 'zz-zy-rsj', name: '中原区人力资源和社会保障局', nameEn: 'Zhongyuan District Human Resources and Social Security Bureau', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-zjj', name: '中原区住房和城乡建设局', nameEn: 'Zhongyuan District Housing and Urban-Rural Development Bureau', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-wjw', name: '中原区卫生健康委员会', nameEn: 'Zhongyuan District Health Commission', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-jyj', name: '中原区教育局', nameEn: 'Zhongyuan District Education Bureau', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-mzj', name: '中原区民政局', nameEn: 'Zhongyuan District Civil Affairs Bureau', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-sfj', name: '中原区司法局', nameEn: 'Zhongyuan District Justice Bureau', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-cgj', name: '中原区城市管理局', nameEn: 'Zhongyuan District Urban Management Bureau', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-jtj', name: '中原区交通运输局', nameEn: 'Zhongyuan District Transport Bureau', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-swj', name: '中原区水务局', nameEn: 'Zhongyuan District Water Affairs Bureau', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-cl', name: '中原区残疾人联合会', nameEn: 'Zhongyuan District Disabled Persons\' Federation', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-wltj', name: '中原区文化旅游体育局', nameEn: 'Zhongyuan District Culture, Tourism and Sports Bureau', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-scjgj', name: '中原区市场监督管理局', nameEn: 'Zhongyuan District Market Supervision Administration', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-fgw', name: '中原区发展和改革委员会', nameEn: 'Zhongyuan District Development and Reform Commission', kind: 'department', parent: 'zz-zy' },
  { code: 'zz-zy-sthj', name: '郑州市生态环境局中原分局', nameEn: 'Zhengzhou Ecology and Environment Bureau Zhongyuan Branch', kind: 'department', parent: 'zz-zy' },

  // 驿城区: 新华街街道 (风光路 congestion, 温州步行街 night market) and 朱古洞乡 are named in the report. 御苑城 is a residential estate whose street the report does not give, so it is only used as location text.
  { code: 'zmd-yc', name: '驿城区', nameEn: 'Yicheng District', kind: 'district', parent: 'zmd' },
  // streets
  { code: 'zmd-yc-xinhuajie', name: '新华街街道', nameEn: 'Yicheng District Xinhuajie Subdistrict', kind: 'street', parent: 'zmd-yc' },
  { code: 'zmd-yc-renmin', name: '人民街道', nameEn: 'Yicheng District Renmin Subdistrict', kind: 'street', parent: 'zmd-yc' },
  { code: 'zmd-yc-dongfeng', name: '东风街道', nameEn: 'Yicheng District Dongfeng Subdistrict', kind: 'street', parent: 'zmd-yc' },
  { code: 'zmd-yc-xiyuan', name: '西园街道', nameEn: 'Yicheng District Xiyuan Subdistrict', kind: 'street', parent: 'zmd-yc' },
  { code: 'zmd-yc-laojie', name: '老街街道', nameEn: 'Yicheng District Laojie Subdistrict', kind: 'street', parent: 'zmd-yc' },
  { code: 'zmd-yc-nanhai', name: '南海街道', nameEn: 'Yicheng District Nanhai Subdistrict', kind: 'street', parent: 'zmd-yc' },
  { code: 'zmd-yc-shunhe', name: '顺河街道', nameEn: 'Yicheng District Shunhe Subdistrict', kind: 'street', parent: 'zmd-yc' },
  { code: 'zmd-yc-zhugudong', name: '朱古洞乡', nameEn: 'Yicheng District Zhugudong Township', kind: 'street', parent: 'zmd-yc' },
  // communities
  { code: 'zmd-yc-xinhuajie-fengguang', name: '风光社区', nameEn: 'Fengguang Community', kind: 'community', parent: 'zmd-yc-xinhuajie' },
  { code: 'zmd-yc-xinhuajie-fuqiang', name: '富强社区', nameEn: 'Fuqiang Community', kind: 'community', parent: 'zmd-yc-xinhuajie' },
  { code: 'zmd-yc-xinhuajie-xinhua', name: '新华社区', nameEn: 'Xinhua Community', kind: 'community', parent: 'zmd-yc-xinhuajie' },
  { code: 'zmd-yc-renmin-zhongshan', name: '中山社区', nameEn: 'Zhongshan Community', kind: 'community', parent: 'zmd-yc-renmin' },
  // functional departments
  { code: 'zmd-yc-rsj', name: '驿城区人力资源和社会保障局', nameEn: 'Yicheng District Human Resources and Social Security Bureau', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-zjj', name: '驿城区住房和城乡建设局', nameEn: 'Yicheng District Housing and Urban-Rural Development Bureau', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-wjw', name: '驿城区卫生健康委员会', nameEn: 'Yicheng District Health Commission', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-jyj', name: '驿城区教育局', nameEn: 'Yicheng District Education Bureau', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-mzj', name: '驿城区民政局', nameEn: 'Yicheng District Civil Affairs Bureau', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-sfj', name: '驿城区司法局', nameEn: 'Yicheng District Justice Bureau', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-cgj', name: '驿城区城市管理局', nameEn: 'Yicheng District Urban Management Bureau', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-jtj', name: '驿城区交通运输局', nameEn: 'Yicheng District Transport Bureau', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-swj', name: '驿城区水务局', nameEn: 'Yicheng District Water Affairs Bureau', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-cl', name: '驿城区残疾人联合会', nameEn: 'Yicheng District Disabled Persons\' Federation', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-wltj', name: '驿城区文化旅游体育局', nameEn: 'Yicheng District Culture, Tourism and Sports Bureau', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-scjgj', name: '驿城区市场监督管理局', nameEn: 'Yicheng District Market Supervision Administration', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-fgw', name: '驿城区发展和改革委员会', nameEn: 'Yicheng District Development and Reform Commission', kind: 'department', parent: 'zmd-yc' },
  { code: 'zmd-yc-sthj', name: '驻马店市生态环境局驿城分局', nameEn: 'Zhumadian Ecology and Environment Bureau Yicheng Branch', kind: 'department', parent: 'zmd-yc' },
];

// ---------------------------------------------------------------------------------------------
// Category tree: 14 top-level categories and their leaves. Codes are stable ASCII identifiers.
// ---------------------------------------------------------------------------------------------
export const DEMO_CATEGORIES: DemoCategory[] = [
  // 城市管理
  { code: 'city', name: '城市管理', nameEn: 'Urban management', parent: null },
  {
    code: 'city.noise', name: '噪音扰民', nameEn: 'Noise nuisance', parent: 'city',
    extraFields: [
      { key: 'occurs_at_night', label: '是否夜间（22:00后）发生', labelEn: 'Occurs at night (after 22:00)', type: 'boolean', required: true },
      { key: 'source', label: '噪音来源', labelEn: 'Noise source', type: 'select', required: true, options: ['夜市', '施工', '商铺', '其他'], optionsEn: ['Night market', 'Construction', 'Shops', 'Other'] },
    ],
  },
  { code: 'city.street_vending', name: '占道经营', nameEn: 'Street-occupying vending', parent: 'city' },
  { code: 'city.appearance', name: '市容环境', nameEn: 'City appearance and sanitation', parent: 'city' },
  {
    code: 'city.streetlight', name: '路灯照明', nameEn: 'Street lighting', parent: 'city',
    extraFields: [
      { key: 'pole_number', label: '路灯杆编号', labelEn: 'Lamp-post number', type: 'text', required: false },
    ],
  },
  // 交通出行
  { code: 'traffic', name: '交通出行', nameEn: 'Traffic and transport', parent: null },
  {
    code: 'traffic.congestion', name: '道路拥堵', nameEn: 'Road congestion', parent: 'traffic',
    extraFields: [
      { key: 'peak', label: '拥堵时段', labelEn: 'Congested period', type: 'select', required: false, options: ['早高峰', '晚高峰', '全天', '夜间'], optionsEn: ['Morning rush hour', 'Evening rush hour', 'All day', 'At night'] },
    ],
  },
  { code: 'traffic.dead_end_road', name: '断头路', nameEn: 'Dead-end road', parent: 'traffic' },
  { code: 'traffic.parking', name: '停车难', nameEn: 'Parking shortage', parent: 'traffic' },
  { code: 'traffic.road_damage', name: '道路破损', nameEn: 'Damaged road', parent: 'traffic' },
  // 住房建设
  { code: 'housing', name: '住房建设', nameEn: 'Housing and construction', parent: null },
  {
    code: 'housing.old_estate', name: '老旧小区改造', nameEn: 'Old-estate renovation', parent: 'housing',
    extraFields: [
      { key: 'households', label: '涉及户数', labelEn: 'Households affected', type: 'number', required: false, min: 1 },
    ],
  },
  {
    code: 'housing.elevator', name: '既有住宅加装电梯', nameEn: 'Elevator installation in existing housing', parent: 'housing',
    extraFields: [
      { key: 'building_floors', label: '楼层数', labelEn: 'Number of floors', type: 'number', required: true, min: 1, max: 200 },
      { key: 'owner_consent', label: '本单元业主是否已达成一致', labelEn: 'Owners of the stairwell agree', type: 'boolean', required: false },
    ],
  },
  { code: 'housing.property_mgmt', name: '物业纠纷', nameEn: 'Property-management dispute', parent: 'housing' },
  { code: 'housing.resettlement', name: '安置房建设与交房', nameEn: 'Resettlement housing and hand-over', parent: 'housing' },
  // 水电气暖
  { code: 'utilities', name: '水电气暖', nameEn: 'Water, power, gas and heating', parent: null },
  {
    code: 'utilities.water_pressure', name: '供水水压不足', nameEn: 'Low water pressure', parent: 'utilities',
    extraFields: [
      { key: 'floor', label: '所在楼层', labelEn: 'Floor', type: 'number', required: true, min: -5, max: 200 },
      { key: 'has_booster', label: '小区是否有二次加压设施', labelEn: 'Estate has a booster pump', type: 'boolean', required: false },
    ],
  },
  { code: 'utilities.water_outage', name: '停水', nameEn: 'Water outage', parent: 'utilities' },
  {
    code: 'utilities.heating', name: '供暖', nameEn: 'Heating', parent: 'utilities',
    extraFields: [
      { key: 'indoor_temp_c', label: '室内温度（℃）', labelEn: 'Indoor temperature (°C)', type: 'number', required: false, min: -30, max: 50 },
    ],
  },
  { code: 'utilities.gas', name: '燃气服务', nameEn: 'Gas service', parent: 'utilities' },
  { code: 'utilities.gas_leak', name: '燃气泄漏', nameEn: 'Gas leak', parent: 'utilities' },
  { code: 'utilities.power_outage', name: '停电', nameEn: 'Power outage', parent: 'utilities' },
  // 就业社保
  { code: 'jobs', name: '就业社保', nameEn: 'Jobs and social insurance', parent: null },
  { code: 'jobs.employment', name: '就业服务', nameEn: 'Employment services', parent: 'jobs' },
  { code: 'jobs.social_insurance', name: '社保医保', nameEn: 'Social and medical insurance', parent: 'jobs' },
  {
    code: 'jobs.wage_arrears', name: '拖欠工资', nameEn: 'Wage arrears', parent: 'jobs',
    extraFields: [
      { key: 'amount_yuan', label: '拖欠金额（元）', labelEn: 'Amount owed (yuan)', type: 'number', required: true, min: 0 },
      { key: 'employer', label: '用人单位', labelEn: 'Employer', type: 'text', required: true },
      { key: 'workers', label: '涉及人数', labelEn: 'Workers affected', type: 'number', required: false },
    ],
  },
  // 医疗卫生
  { code: 'health', name: '医疗卫生', nameEn: 'Health', parent: null },
  { code: 'health.medical_service', name: '医疗服务', nameEn: 'Medical services', parent: 'health' },
  { code: 'health.vaccination', name: '疫苗接种', nameEn: 'Vaccination', parent: 'health' },
  // 教育
  { code: 'education', name: '教育', nameEn: 'Education', parent: null },
  {
    code: 'education.enrolment', name: '入学', nameEn: 'School enrolment', parent: 'education',
    extraFields: [
      { key: 'stage', label: '入学阶段', labelEn: 'Stage', type: 'select', required: true, options: ['幼儿园', '小学一年级', '初中一年级'], optionsEn: ['Kindergarten', 'Primary school, year 1', 'Junior high, year 1'] },
    ],
  },
  { code: 'education.school_surroundings', name: '校园周边', nameEn: 'School surroundings', parent: 'education' },
  { code: 'education.after_school', name: '课后服务与午餐', nameEn: 'After-school care and lunches', parent: 'education' },
  // 民政养老
  { code: 'civil', name: '民政养老', nameEn: 'Civil affairs and elderly care', parent: null },
  { code: 'civil.elderly_care', name: '养老服务', nameEn: 'Elderly care', parent: 'civil' },
  { code: 'civil.subsistence', name: '低保救助', nameEn: 'Minimum living allowance (dibao)', parent: 'civil' },
  { code: 'civil.disability', name: '残疾人服务', nameEn: 'Services for disabled people', parent: 'civil' },
  // 法律援助与矛盾调解
  { code: 'legal', name: '法律援助与矛盾调解', nameEn: 'Legal aid and mediation', parent: null },
  { code: 'legal.aid', name: '法律援助', nameEn: 'Legal aid', parent: 'legal' },
  { code: 'legal.mediation', name: '矛盾纠纷调解', nameEn: 'Dispute mediation', parent: 'legal' },
  { code: 'legal.notary', name: '公证服务', nameEn: 'Notary services', parent: 'legal' },
  // 文体旅游
  { code: 'culture', name: '文体旅游', nameEn: 'Culture, sports and tourism', parent: null },
  { code: 'culture.fitness', name: '健身设施', nameEn: 'Fitness facilities', parent: 'culture' },
  { code: 'culture.activities', name: '文化活动', nameEn: 'Cultural activities', parent: 'culture' },
  // 市场监管与消费
  { code: 'market', name: '市场监管与消费', nameEn: 'Market supervision and consumers', parent: null },
  { code: 'market.consumer', name: '消费维权', nameEn: 'Consumer complaints', parent: 'market' },
  { code: 'market.food_safety', name: '食品安全', nameEn: 'Food safety', parent: 'market' },
  { code: 'market.farmers_market', name: '农贸市场', nameEn: 'Farmers\' markets', parent: 'market' },
  // 生态环境
  { code: 'eco', name: '生态环境', nameEn: 'Ecology and environment', parent: null },
  { code: 'eco.air', name: '大气污染与油烟', nameEn: 'Air pollution and cooking fumes', parent: 'eco' },
  { code: 'eco.water', name: '水体污染', nameEn: 'Water pollution', parent: 'eco' },
  { code: 'eco.greening', name: '绿化与游园', nameEn: 'Greenery and pocket parks', parent: 'eco' },
  // 咨询
  { code: 'inquiry', name: '咨询', nameEn: 'Inquiries', parent: null },
  { code: 'inquiry.policy', name: '政策咨询', nameEn: 'Policy questions', parent: 'inquiry' },
  { code: 'inquiry.service_guide', name: '办事指南', nameEn: 'How-to for public services', parent: 'inquiry' },
  // 其他
  { code: 'other', name: '其他', nameEn: 'Other', parent: null },
  { code: 'other.misc', name: '其他诉求', nameEn: 'Other requests', parent: 'other' },
];

// ---------------------------------------------------------------------------------------------
// Routing rules (category x area -> lead unit, cooperating units, SLA class).
// The most specific rule wins: community over street over district, and leaf category over its
// parent. Per district, some top-level categories are routed only at parent level (a leaf without
// its own rule falls back to the parent rule). Street/community overrides send matters straight to
// the street office (Beijing-style 街乡吹哨) or add the street as a cooperating unit.
// All street/community overrides are on leaf categories, so area specificity and category
// specificity never pull in different directions in this data set.
// 'other.misc' deliberately has NO rule, so such petitions land in the manual dispatch queue.
// ---------------------------------------------------------------------------------------------
export const DEMO_ROUTING_RULES: DemoRoutingRule[] = [

  // 惠济区 (Huiji): district-wide rules
  { category: 'city.noise', area: 'zz-hj', lead: 'zz-hj-cgj', co: ['zz-hj-sthj'], slaClass: 'normal' },
  { category: 'city.street_vending', area: 'zz-hj', lead: 'zz-hj-cgj', co: ['zz-hj-scjgj'], slaClass: 'normal' },
  { category: 'city.appearance', area: 'zz-hj', lead: 'zz-hj-cgj', co: [], slaClass: 'normal' },
  { category: 'city.streetlight', area: 'zz-hj', lead: 'zz-hj-cgj', co: [], slaClass: 'normal' },
  { category: 'traffic', area: 'zz-hj', lead: 'zz-hj-jtj', co: ['zz-hj-cgj'], slaClass: 'normal' }, // parent rule: congestion and damaged roads fall back here
  { category: 'traffic.dead_end_road', area: 'zz-hj', lead: 'zz-hj-jtj', co: ['zz-hj-zjj'], slaClass: 'normal' },
  { category: 'traffic.parking', area: 'zz-hj', lead: 'zz-hj-cgj', co: ['zz-hj-jtj'], slaClass: 'normal' },
  { category: 'housing', area: 'zz-hj', lead: 'zz-hj-zjj', co: [], slaClass: 'normal' }, // parent rule: resettlement housing falls back here
  { category: 'housing.old_estate', area: 'zz-hj', lead: 'zz-hj-zjj', co: ['zz-hj-cgj', 'zz-hj-swj'], slaClass: 'complex' },
  { category: 'housing.elevator', area: 'zz-hj', lead: 'zz-hj-zjj', co: ['zz-hj-scjgj'], slaClass: 'complex' },
  { category: 'housing.property_mgmt', area: 'zz-hj', lead: 'zz-hj-zjj', co: [], slaClass: 'normal' },
  { category: 'utilities.water_pressure', area: 'zz-hj', lead: 'zz-hj-swj', co: ['zz-hj-zjj'], slaClass: 'utilities' },
  { category: 'utilities.water_outage', area: 'zz-hj', lead: 'zz-hj-swj', co: [], slaClass: 'utilities' },
  { category: 'utilities.heating', area: 'zz-hj', lead: 'zz-hj-cgj', co: ['zz-hj-zjj'], slaClass: 'utilities' },
  { category: 'utilities.gas', area: 'zz-hj', lead: 'zz-hj-cgj', co: [], slaClass: 'utilities' },
  { category: 'utilities.gas_leak', area: 'zz-hj', lead: 'zz-hj-cgj', co: ['zz-hj-zjj'], slaClass: 'emergency' },
  { category: 'utilities.power_outage', area: 'zz-hj', lead: 'zz-hj-fgw', co: [], slaClass: 'utilities' },
  { category: 'jobs', area: 'zz-hj', lead: 'zz-hj-rsj', co: [], slaClass: 'normal' }, // parent rule: employment and social insurance fall back here
  { category: 'jobs.wage_arrears', area: 'zz-hj', lead: 'zz-hj-rsj', co: ['zz-hj-sfj'], slaClass: 'normal' },
  { category: 'health', area: 'zz-hj', lead: 'zz-hj-wjw', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'education', area: 'zz-hj', lead: 'zz-hj-jyj', co: [], slaClass: 'normal' }, // parent rule: enrolment and after-school care fall back here
  { category: 'education.school_surroundings', area: 'zz-hj', lead: 'zz-hj-jyj', co: ['zz-hj-cgj', 'zz-hj-jtj'], slaClass: 'normal' },
  { category: 'civil.elderly_care', area: 'zz-hj', lead: 'zz-hj-mzj', co: ['zz-hj-wjw'], slaClass: 'normal' },
  { category: 'civil.subsistence', area: 'zz-hj', lead: 'zz-hj-mzj', co: [], slaClass: 'normal' },
  { category: 'civil.disability', area: 'zz-hj', lead: 'zz-hj-cl', co: ['zz-hj-mzj'], slaClass: 'normal' },
  { category: 'legal', area: 'zz-hj', lead: 'zz-hj-sfj', co: [], slaClass: 'normal' }, // parent rule: legal aid and notary fall back here
  { category: 'legal.mediation', area: 'zz-hj', lead: 'zz-hj-sfj', co: [], slaClass: 'normal' },
  { category: 'culture', area: 'zz-hj', lead: 'zz-hj-wltj', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'market', area: 'zz-hj', lead: 'zz-hj-scjgj', co: [], slaClass: 'normal' }, // parent rule: consumer and food-safety complaints fall back here
  { category: 'market.farmers_market', area: 'zz-hj', lead: 'zz-hj-scjgj', co: ['zz-hj-cgj'], slaClass: 'normal' },
  { category: 'eco', area: 'zz-hj', lead: 'zz-hj-sthj', co: [], slaClass: 'normal' }, // parent rule: air and water pollution fall back here
  { category: 'eco.greening', area: 'zz-hj', lead: 'zz-hj-cgj', co: [], slaClass: 'normal' }, // leaf overrides the parent: parks are run by urban management
  { category: 'inquiry', area: 'zz-hj', lead: 'zz-12345', co: [], slaClass: 'normal' }, // answered at the city centre from the knowledge base

  // 金水区 (Jinshui): district-wide rules
  { category: 'city.noise', area: 'zz-js', lead: 'zz-js-cgj', co: ['zz-js-sthj'], slaClass: 'normal' },
  { category: 'city.street_vending', area: 'zz-js', lead: 'zz-js-cgj', co: ['zz-js-scjgj'], slaClass: 'normal' },
  { category: 'city.appearance', area: 'zz-js', lead: 'zz-js-cgj', co: [], slaClass: 'normal' },
  { category: 'city.streetlight', area: 'zz-js', lead: 'zz-js-cgj', co: [], slaClass: 'normal' },
  { category: 'traffic', area: 'zz-js', lead: 'zz-js-jtj', co: ['zz-js-cgj'], slaClass: 'normal' }, // parent rule: congestion and damaged roads fall back here
  { category: 'traffic.dead_end_road', area: 'zz-js', lead: 'zz-js-jtj', co: ['zz-js-zjj'], slaClass: 'normal' },
  { category: 'traffic.parking', area: 'zz-js', lead: 'zz-js-cgj', co: ['zz-js-jtj'], slaClass: 'normal' },
  { category: 'housing', area: 'zz-js', lead: 'zz-js-zjj', co: [], slaClass: 'normal' }, // parent rule: resettlement housing falls back here
  { category: 'housing.old_estate', area: 'zz-js', lead: 'zz-js-zjj', co: ['zz-js-cgj', 'zz-js-swj'], slaClass: 'complex' },
  { category: 'housing.elevator', area: 'zz-js', lead: 'zz-js-zjj', co: ['zz-js-scjgj'], slaClass: 'complex' },
  { category: 'housing.property_mgmt', area: 'zz-js', lead: 'zz-js-zjj', co: [], slaClass: 'normal' },
  { category: 'utilities.water_pressure', area: 'zz-js', lead: 'zz-js-swj', co: ['zz-js-zjj'], slaClass: 'utilities' },
  { category: 'utilities.water_outage', area: 'zz-js', lead: 'zz-js-swj', co: [], slaClass: 'utilities' },
  { category: 'utilities.heating', area: 'zz-js', lead: 'zz-js-cgj', co: ['zz-js-zjj'], slaClass: 'utilities' },
  { category: 'utilities.gas', area: 'zz-js', lead: 'zz-js-cgj', co: [], slaClass: 'utilities' },
  { category: 'utilities.gas_leak', area: 'zz-js', lead: 'zz-js-cgj', co: ['zz-js-zjj'], slaClass: 'emergency' },
  { category: 'utilities.power_outage', area: 'zz-js', lead: 'zz-js-fgw', co: [], slaClass: 'utilities' },
  { category: 'jobs', area: 'zz-js', lead: 'zz-js-rsj', co: [], slaClass: 'normal' }, // parent rule: employment and social insurance fall back here
  { category: 'jobs.wage_arrears', area: 'zz-js', lead: 'zz-js-rsj', co: ['zz-js-sfj'], slaClass: 'normal' },
  { category: 'health', area: 'zz-js', lead: 'zz-js-wjw', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'education', area: 'zz-js', lead: 'zz-js-jyj', co: [], slaClass: 'normal' }, // parent rule: enrolment and after-school care fall back here
  { category: 'education.school_surroundings', area: 'zz-js', lead: 'zz-js-jyj', co: ['zz-js-cgj', 'zz-js-jtj'], slaClass: 'normal' },
  { category: 'civil.elderly_care', area: 'zz-js', lead: 'zz-js-mzj', co: ['zz-js-wjw'], slaClass: 'normal' },
  { category: 'civil.subsistence', area: 'zz-js', lead: 'zz-js-mzj', co: [], slaClass: 'normal' },
  { category: 'civil.disability', area: 'zz-js', lead: 'zz-js-cl', co: ['zz-js-mzj'], slaClass: 'normal' },
  { category: 'legal', area: 'zz-js', lead: 'zz-js-sfj', co: [], slaClass: 'normal' }, // parent rule: legal aid and notary fall back here
  { category: 'legal.mediation', area: 'zz-js', lead: 'zz-js-sfj', co: [], slaClass: 'normal' },
  { category: 'culture', area: 'zz-js', lead: 'zz-js-wltj', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'market', area: 'zz-js', lead: 'zz-js-scjgj', co: [], slaClass: 'normal' }, // parent rule: consumer and food-safety complaints fall back here
  { category: 'market.farmers_market', area: 'zz-js', lead: 'zz-js-scjgj', co: ['zz-js-cgj'], slaClass: 'normal' },
  { category: 'eco', area: 'zz-js', lead: 'zz-js-sthj', co: [], slaClass: 'normal' }, // parent rule: air and water pollution fall back here
  { category: 'eco.greening', area: 'zz-js', lead: 'zz-js-cgj', co: [], slaClass: 'normal' }, // leaf overrides the parent: parks are run by urban management
  { category: 'inquiry', area: 'zz-js', lead: 'zz-12345', co: [], slaClass: 'normal' }, // answered at the city centre from the knowledge base

  // 二七区 (Erqi): district-wide rules
  { category: 'city.noise', area: 'zz-eq', lead: 'zz-eq-cgj', co: ['zz-eq-sthj'], slaClass: 'normal' },
  { category: 'city.street_vending', area: 'zz-eq', lead: 'zz-eq-cgj', co: ['zz-eq-scjgj'], slaClass: 'normal' },
  { category: 'city.appearance', area: 'zz-eq', lead: 'zz-eq-cgj', co: [], slaClass: 'normal' },
  { category: 'city.streetlight', area: 'zz-eq', lead: 'zz-eq-cgj', co: [], slaClass: 'normal' },
  { category: 'traffic', area: 'zz-eq', lead: 'zz-eq-jtj', co: ['zz-eq-cgj'], slaClass: 'normal' }, // parent rule: congestion and damaged roads fall back here
  { category: 'traffic.dead_end_road', area: 'zz-eq', lead: 'zz-eq-jtj', co: ['zz-eq-zjj'], slaClass: 'normal' },
  { category: 'traffic.parking', area: 'zz-eq', lead: 'zz-eq-cgj', co: ['zz-eq-jtj'], slaClass: 'normal' },
  { category: 'housing', area: 'zz-eq', lead: 'zz-eq-zjj', co: [], slaClass: 'normal' }, // parent rule: resettlement housing falls back here
  { category: 'housing.old_estate', area: 'zz-eq', lead: 'zz-eq-zjj', co: ['zz-eq-cgj', 'zz-eq-swj'], slaClass: 'complex' },
  { category: 'housing.elevator', area: 'zz-eq', lead: 'zz-eq-zjj', co: ['zz-eq-scjgj'], slaClass: 'complex' },
  { category: 'housing.property_mgmt', area: 'zz-eq', lead: 'zz-eq-zjj', co: [], slaClass: 'normal' },
  { category: 'utilities.water_pressure', area: 'zz-eq', lead: 'zz-eq-swj', co: ['zz-eq-zjj'], slaClass: 'utilities' },
  { category: 'utilities.water_outage', area: 'zz-eq', lead: 'zz-eq-swj', co: [], slaClass: 'utilities' },
  { category: 'utilities.heating', area: 'zz-eq', lead: 'zz-eq-cgj', co: ['zz-eq-zjj'], slaClass: 'utilities' },
  { category: 'utilities.gas', area: 'zz-eq', lead: 'zz-eq-cgj', co: [], slaClass: 'utilities' },
  { category: 'utilities.gas_leak', area: 'zz-eq', lead: 'zz-eq-cgj', co: ['zz-eq-zjj'], slaClass: 'emergency' },
  { category: 'utilities.power_outage', area: 'zz-eq', lead: 'zz-eq-fgw', co: [], slaClass: 'utilities' },
  { category: 'jobs', area: 'zz-eq', lead: 'zz-eq-rsj', co: [], slaClass: 'normal' }, // parent rule: employment and social insurance fall back here
  { category: 'jobs.wage_arrears', area: 'zz-eq', lead: 'zz-eq-rsj', co: ['zz-eq-sfj'], slaClass: 'normal' },
  { category: 'health', area: 'zz-eq', lead: 'zz-eq-wjw', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'education', area: 'zz-eq', lead: 'zz-eq-jyj', co: [], slaClass: 'normal' }, // parent rule: enrolment and after-school care fall back here
  { category: 'education.school_surroundings', area: 'zz-eq', lead: 'zz-eq-jyj', co: ['zz-eq-cgj', 'zz-eq-jtj'], slaClass: 'normal' },
  { category: 'civil.elderly_care', area: 'zz-eq', lead: 'zz-eq-mzj', co: ['zz-eq-wjw'], slaClass: 'normal' },
  { category: 'civil.subsistence', area: 'zz-eq', lead: 'zz-eq-mzj', co: [], slaClass: 'normal' },
  { category: 'civil.disability', area: 'zz-eq', lead: 'zz-eq-cl', co: ['zz-eq-mzj'], slaClass: 'normal' },
  { category: 'legal', area: 'zz-eq', lead: 'zz-eq-sfj', co: [], slaClass: 'normal' }, // parent rule: legal aid and notary fall back here
  { category: 'legal.mediation', area: 'zz-eq', lead: 'zz-eq-sfj', co: [], slaClass: 'normal' },
  { category: 'culture', area: 'zz-eq', lead: 'zz-eq-wltj', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'market', area: 'zz-eq', lead: 'zz-eq-scjgj', co: [], slaClass: 'normal' }, // parent rule: consumer and food-safety complaints fall back here
  { category: 'market.farmers_market', area: 'zz-eq', lead: 'zz-eq-scjgj', co: ['zz-eq-cgj'], slaClass: 'normal' },
  { category: 'eco', area: 'zz-eq', lead: 'zz-eq-sthj', co: [], slaClass: 'normal' }, // parent rule: air and water pollution fall back here
  { category: 'eco.greening', area: 'zz-eq', lead: 'zz-eq-cgj', co: [], slaClass: 'normal' }, // leaf overrides the parent: parks are run by urban management
  { category: 'inquiry', area: 'zz-eq', lead: 'zz-12345', co: [], slaClass: 'normal' }, // answered at the city centre from the knowledge base

  // 中原区 (Zhongyuan): district-wide rules
  { category: 'city.noise', area: 'zz-zy', lead: 'zz-zy-cgj', co: ['zz-zy-sthj'], slaClass: 'normal' },
  { category: 'city.street_vending', area: 'zz-zy', lead: 'zz-zy-cgj', co: ['zz-zy-scjgj'], slaClass: 'normal' },
  { category: 'city.appearance', area: 'zz-zy', lead: 'zz-zy-cgj', co: [], slaClass: 'normal' },
  { category: 'city.streetlight', area: 'zz-zy', lead: 'zz-zy-cgj', co: [], slaClass: 'normal' },
  { category: 'traffic', area: 'zz-zy', lead: 'zz-zy-jtj', co: ['zz-zy-cgj'], slaClass: 'normal' }, // parent rule: congestion and damaged roads fall back here
  { category: 'traffic.dead_end_road', area: 'zz-zy', lead: 'zz-zy-jtj', co: ['zz-zy-zjj'], slaClass: 'normal' },
  { category: 'traffic.parking', area: 'zz-zy', lead: 'zz-zy-cgj', co: ['zz-zy-jtj'], slaClass: 'normal' },
  { category: 'housing', area: 'zz-zy', lead: 'zz-zy-zjj', co: [], slaClass: 'normal' }, // parent rule: resettlement housing falls back here
  { category: 'housing.old_estate', area: 'zz-zy', lead: 'zz-zy-zjj', co: ['zz-zy-cgj', 'zz-zy-swj'], slaClass: 'complex' },
  { category: 'housing.elevator', area: 'zz-zy', lead: 'zz-zy-zjj', co: ['zz-zy-scjgj'], slaClass: 'complex' },
  { category: 'housing.property_mgmt', area: 'zz-zy', lead: 'zz-zy-zjj', co: [], slaClass: 'normal' },
  { category: 'utilities.water_pressure', area: 'zz-zy', lead: 'zz-zy-swj', co: ['zz-zy-zjj'], slaClass: 'utilities' },
  { category: 'utilities.water_outage', area: 'zz-zy', lead: 'zz-zy-swj', co: [], slaClass: 'utilities' },
  { category: 'utilities.heating', area: 'zz-zy', lead: 'zz-zy-cgj', co: ['zz-zy-zjj'], slaClass: 'utilities' },
  { category: 'utilities.gas', area: 'zz-zy', lead: 'zz-zy-cgj', co: [], slaClass: 'utilities' },
  { category: 'utilities.gas_leak', area: 'zz-zy', lead: 'zz-zy-cgj', co: ['zz-zy-zjj'], slaClass: 'emergency' },
  { category: 'utilities.power_outage', area: 'zz-zy', lead: 'zz-zy-fgw', co: [], slaClass: 'utilities' },
  { category: 'jobs', area: 'zz-zy', lead: 'zz-zy-rsj', co: [], slaClass: 'normal' }, // parent rule: employment and social insurance fall back here
  { category: 'jobs.wage_arrears', area: 'zz-zy', lead: 'zz-zy-rsj', co: ['zz-zy-sfj'], slaClass: 'normal' },
  { category: 'health', area: 'zz-zy', lead: 'zz-zy-wjw', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'education', area: 'zz-zy', lead: 'zz-zy-jyj', co: [], slaClass: 'normal' }, // parent rule: enrolment and after-school care fall back here
  { category: 'education.school_surroundings', area: 'zz-zy', lead: 'zz-zy-jyj', co: ['zz-zy-cgj', 'zz-zy-jtj'], slaClass: 'normal' },
  { category: 'civil.elderly_care', area: 'zz-zy', lead: 'zz-zy-mzj', co: ['zz-zy-wjw'], slaClass: 'normal' },
  { category: 'civil.subsistence', area: 'zz-zy', lead: 'zz-zy-mzj', co: [], slaClass: 'normal' },
  { category: 'civil.disability', area: 'zz-zy', lead: 'zz-zy-cl', co: ['zz-zy-mzj'], slaClass: 'normal' },
  { category: 'legal', area: 'zz-zy', lead: 'zz-zy-sfj', co: [], slaClass: 'normal' }, // parent rule: legal aid and notary fall back here
  { category: 'legal.mediation', area: 'zz-zy', lead: 'zz-zy-sfj', co: [], slaClass: 'normal' },
  { category: 'culture', area: 'zz-zy', lead: 'zz-zy-wltj', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'market', area: 'zz-zy', lead: 'zz-zy-scjgj', co: [], slaClass: 'normal' }, // parent rule: consumer and food-safety complaints fall back here
  { category: 'market.farmers_market', area: 'zz-zy', lead: 'zz-zy-scjgj', co: ['zz-zy-cgj'], slaClass: 'normal' },
  { category: 'eco', area: 'zz-zy', lead: 'zz-zy-sthj', co: [], slaClass: 'normal' }, // parent rule: air and water pollution fall back here
  { category: 'eco.greening', area: 'zz-zy', lead: 'zz-zy-cgj', co: [], slaClass: 'normal' }, // leaf overrides the parent: parks are run by urban management
  { category: 'inquiry', area: 'zz-zy', lead: 'zz-12345', co: [], slaClass: 'normal' }, // answered at the city centre from the knowledge base

  // 驿城区 (Yicheng): district-wide rules
  { category: 'city.noise', area: 'zmd-yc', lead: 'zmd-yc-cgj', co: ['zmd-yc-sthj'], slaClass: 'normal' },
  { category: 'city.street_vending', area: 'zmd-yc', lead: 'zmd-yc-cgj', co: ['zmd-yc-scjgj'], slaClass: 'normal' },
  { category: 'city.appearance', area: 'zmd-yc', lead: 'zmd-yc-cgj', co: [], slaClass: 'normal' },
  { category: 'city.streetlight', area: 'zmd-yc', lead: 'zmd-yc-cgj', co: [], slaClass: 'normal' },
  { category: 'traffic', area: 'zmd-yc', lead: 'zmd-yc-jtj', co: ['zmd-yc-cgj'], slaClass: 'normal' }, // parent rule: congestion and damaged roads fall back here
  { category: 'traffic.dead_end_road', area: 'zmd-yc', lead: 'zmd-yc-jtj', co: ['zmd-yc-zjj'], slaClass: 'normal' },
  { category: 'traffic.parking', area: 'zmd-yc', lead: 'zmd-yc-cgj', co: ['zmd-yc-jtj'], slaClass: 'normal' },
  { category: 'housing', area: 'zmd-yc', lead: 'zmd-yc-zjj', co: [], slaClass: 'normal' }, // parent rule: resettlement housing falls back here
  { category: 'housing.old_estate', area: 'zmd-yc', lead: 'zmd-yc-zjj', co: ['zmd-yc-cgj', 'zmd-yc-swj'], slaClass: 'complex' },
  { category: 'housing.elevator', area: 'zmd-yc', lead: 'zmd-yc-zjj', co: ['zmd-yc-scjgj'], slaClass: 'complex' },
  { category: 'housing.property_mgmt', area: 'zmd-yc', lead: 'zmd-yc-zjj', co: [], slaClass: 'normal' },
  { category: 'utilities.water_pressure', area: 'zmd-yc', lead: 'zmd-yc-zjj', co: ['zmd-yc-swj'], slaClass: 'utilities' }, // report: 区住建局 solved 御苑城 water pressure
  { category: 'utilities.water_outage', area: 'zmd-yc', lead: 'zmd-yc-swj', co: [], slaClass: 'utilities' },
  { category: 'utilities.heating', area: 'zmd-yc', lead: 'zmd-yc-cgj', co: ['zmd-yc-zjj'], slaClass: 'utilities' },
  { category: 'utilities.gas', area: 'zmd-yc', lead: 'zmd-yc-cgj', co: [], slaClass: 'utilities' },
  { category: 'utilities.gas_leak', area: 'zmd-yc', lead: 'zmd-yc-cgj', co: ['zmd-yc-zjj'], slaClass: 'emergency' },
  { category: 'utilities.power_outage', area: 'zmd-yc', lead: 'zmd-yc-fgw', co: [], slaClass: 'utilities' },
  { category: 'jobs', area: 'zmd-yc', lead: 'zmd-yc-rsj', co: [], slaClass: 'normal' }, // parent rule: employment and social insurance fall back here
  { category: 'jobs.wage_arrears', area: 'zmd-yc', lead: 'zmd-yc-rsj', co: ['zmd-yc-sfj'], slaClass: 'normal' },
  { category: 'health', area: 'zmd-yc', lead: 'zmd-yc-wjw', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'education', area: 'zmd-yc', lead: 'zmd-yc-jyj', co: [], slaClass: 'normal' }, // parent rule: enrolment and after-school care fall back here
  { category: 'education.school_surroundings', area: 'zmd-yc', lead: 'zmd-yc-jyj', co: ['zmd-yc-cgj', 'zmd-yc-jtj'], slaClass: 'normal' },
  { category: 'civil.elderly_care', area: 'zmd-yc', lead: 'zmd-yc-mzj', co: ['zmd-yc-wjw'], slaClass: 'normal' },
  { category: 'civil.subsistence', area: 'zmd-yc', lead: 'zmd-yc-mzj', co: [], slaClass: 'normal' },
  { category: 'civil.disability', area: 'zmd-yc', lead: 'zmd-yc-cl', co: ['zmd-yc-mzj'], slaClass: 'normal' },
  { category: 'legal', area: 'zmd-yc', lead: 'zmd-yc-sfj', co: [], slaClass: 'normal' }, // parent rule: legal aid and notary fall back here
  { category: 'legal.mediation', area: 'zmd-yc', lead: 'zmd-yc-sfj', co: [], slaClass: 'normal' },
  { category: 'culture', area: 'zmd-yc', lead: 'zmd-yc-wltj', co: [], slaClass: 'normal' }, // parent rule only
  { category: 'market', area: 'zmd-yc', lead: 'zmd-yc-scjgj', co: [], slaClass: 'normal' }, // parent rule: consumer and food-safety complaints fall back here
  { category: 'market.farmers_market', area: 'zmd-yc', lead: 'zmd-yc-scjgj', co: ['zmd-yc-cgj'], slaClass: 'normal' },
  { category: 'eco', area: 'zmd-yc', lead: 'zmd-yc-sthj', co: [], slaClass: 'normal' }, // parent rule: air and water pollution fall back here
  { category: 'eco.greening', area: 'zmd-yc', lead: 'zmd-yc-cgj', co: [], slaClass: 'normal' }, // leaf overrides the parent: parks are run by urban management
  { category: 'inquiry', area: 'zmd-yc', lead: 'zmd-12345', co: [], slaClass: 'normal' }, // answered at the city centre from the knowledge base

  // Street and community overrides
  { category: 'city.noise', area: 'zmd-yc-xinhuajie', lead: 'zmd-yc-xinhuajie', co: ['zmd-yc-cgj', 'zmd-yc-sthj'], slaClass: 'normal' }, // 温州步行街 night market: straight to the street office (街乡吹哨)
  { category: 'city.noise', area: 'zmd-yc-xinhuajie-fengguang', lead: 'zmd-yc-xinhuajie', co: ['zmd-yc-cgj', 'zmd-yc-xinhuajie-fengguang'], slaClass: 'normal' }, // community-level: the community joins the night-market patrols
  { category: 'traffic.congestion', area: 'zmd-yc-xinhuajie', lead: 'zmd-yc-xinhuajie', co: ['zmd-yc-jtj', 'zmd-yc-cgj'], slaClass: 'normal' }, // 风光路 congestion is handled by 新华街街道
  { category: 'city.street_vending', area: 'zmd-yc-xinhuajie', lead: 'zmd-yc-xinhuajie', co: ['zmd-yc-cgj'], slaClass: 'normal' },
  { category: 'city.noise', area: 'zz-eq-dehuajie', lead: 'zz-eq-cgj', co: ['zz-eq-dehuajie'], slaClass: 'normal' }, // 德化步行街: urban management leads, the street office cooperates
  { category: 'traffic.parking', area: 'zz-eq-huaihelu', lead: 'zz-eq-huaihelu', co: ['zz-eq-cgj'], slaClass: 'normal' }, // 汉江路 5G smart-parking street
  { category: 'civil.elderly_care', area: 'zz-eq-daxuelu', lead: 'zz-eq-daxuelu', co: ['zz-eq-mzj'], slaClass: 'normal' }, // 嵩山社区 day-care centre is run by the street
  { category: 'civil.elderly_care', area: 'zz-hj-dahelu', lead: 'zz-hj-dahelu', co: ['zz-hj-mzj'], slaClass: 'normal' }, // 天河社区: national model elderly-friendly community
  { category: 'housing.elevator', area: 'zz-hj-yingbinlu', lead: 'zz-hj-zjj', co: ['zz-hj-yingbinlu'], slaClass: 'complex' },
  { category: 'housing.elevator', area: 'zz-js-wenhualu', lead: 'zz-js-zjj', co: ['zz-js-wenhualu'], slaClass: 'complex' }, // 文化路5号院 model estate
  { category: 'city.street_vending', area: 'zz-js-duling', lead: 'zz-js-duling', co: ['zz-js-cgj', 'zz-js-scjgj'], slaClass: 'normal' }, // 北二七路 / 西里路 shopping streets
  { category: 'legal.mediation', area: 'zz-zy-lvdongcun', lead: 'zz-zy-lvdongcun', co: ['zz-zy-sfj'], slaClass: 'normal' }, // the street's people's mediators go to the door first
];

// ---------------------------------------------------------------------------------------------
// Demo petitions drawn from the complaints in the reports. Residents' names are made up and phone
// numbers are fictional (13800000001 upwards). contact = null means an anonymous submission.
// ---------------------------------------------------------------------------------------------
export const DEMO_PETITIONS: DemoPetition[] = [
  // 驿城区
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'traffic.congestion',
    district: 'zmd-yc', street: 'zmd-yc-xinhuajie', community: 'zmd-yc-xinhuajie-fengguang',
    title: '风光路早晚高峰车辆拥堵严重，请求疏导',
    content: '风光路火车站至乐山大道一段，每天早上7点半到8点半、傍晚5点半到7点车辆排成长队，出租车和网约车在路边随意停靠上下客，电动车逆行穿插，经常一堵就是半个多小时。希望相关部门在高峰时段增派人员疏导，规范临时停靠点，必要时调整信号灯配时。',
    locationText: '驿城区风光路（火车站至乐山大道段）',
    contact: { name: '周建国', phone: '13800000001', address: '驿城区新华街街道风光社区' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'city.noise',
    district: 'zmd-yc', street: 'zmd-yc-xinhuajie', community: 'zmd-yc-xinhuajie-fengguang',
    title: '温州步行街夜市22点后仍噪音扰民',
    content: '温州步行街夜市每天晚上10点以后还在营业，烧烤摊和商户用音箱放歌、大声吆喝招揽客人，有时闹到凌晨一点多，临街住户的老人孩子根本睡不着。请求督促夜市按时收摊，禁止使用高音喇叭。',
    locationText: '驿城区温州步行街',
    contact: { name: '刘桂芳', phone: '13800000002', address: '驿城区温州步行街北侧住宅楼' },
  },
  {
    kind: 'request', channel: 'mobile', urgency: 'normal', category: 'city.noise',
    district: 'zmd-yc', street: 'zmd-yc-xinhuajie', community: 'zmd-yc-xinhuajie-fengguang',
    title: '温州步行街夜市烧烤摊深夜喧哗',
    content: '再次反映温州步行街夜市的问题：昨晚11点半还有人划拳喝酒、放音乐，声音很大，关着窗户也能听见。之前打过电话，情况没有明显改善，希望城管和街道晚上到现场看看。',
    locationText: '驿城区温州步行街中段',
    contact: null,
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'utilities', category: 'utilities.water_pressure',
    district: 'zmd-yc', street: null, community: null,
    title: '御苑城小区高层水压不足，早晚几乎没水',
    content: '我家住御苑城小区18楼，每天早上7点前后和晚上7点到9点用水高峰时，水龙头只有细细一股水，热水器经常打不着火，洗澡做饭都受影响。小区高层住户反映这个问题好几年了，物业说是开发商配套的二次供水设备能力不够，请求尽快协调解决。',
    locationText: '驿城区御苑城小区',
    contact: { name: '陈晓燕', phone: '13800000003', address: '驿城区御苑城小区' },
  },
  {
    kind: 'request', channel: 'door_to_door', urgency: 'complex', category: 'housing.old_estate',
    district: 'zmd-yc', street: 'zmd-yc-renmin', community: 'zmd-yc-renmin-zhongshan',
    title: '中山社区老家属院楼道线缆杂乱，盼纳入改造',
    content: '入户走访时居民反映：中山社区这个老家属院建于上世纪八十年代，楼道里电线、网线、有线电视线缠成一团，墙皮脱落，下水管道老化经常堵塞。听说今年全区要完成1800户老旧小区改造，希望把我们院也纳入，同步实施强弱电入地。',
    locationText: '驿城区人民街道中山社区老家属院',
    contact: { name: '孙玉梅', phone: '13800000004', address: '驿城区人民街道中山社区' },
  },
  {
    kind: 'request', channel: 'door_to_door', urgency: 'normal', category: 'traffic.road_damage',
    district: 'zmd-yc', street: 'zmd-yc-zhugudong', community: null,
    title: '朱古洞乡连村道路坑洼多，雨天出行困难',
    content: '朱古洞乡几个村之间的连村路是早年修的水泥路，现在到处是坑，下雨天积水，电动车和三轮车经常摔倒，孩子上学也不方便。听说今年要新建农村公路40公里，希望把这一段一并列入计划。',
    locationText: '驿城区朱古洞乡连村道路',
    contact: { name: '赵保山', phone: '13800000005', address: '驿城区朱古洞乡' },
  },
  {
    kind: 'inquiry', channel: 'walk_in', urgency: 'normal', category: 'civil.elderly_care',
    district: 'zmd-yc', street: 'zmd-yc-dongfeng', community: null,
    title: '咨询社区老年人日间照料中心何时建成',
    content: '家里老人80多岁，白天子女上班没人照顾。听说今年要新增7个城市社区老年人日间照料中心，想问一下东风街道有没有规划、建在哪里、什么时候投入使用、收费标准是多少。',
    locationText: null,
    contact: { name: '马丽', phone: '13800000006', address: '驿城区东风街道' },
  },
  {
    kind: 'inquiry', channel: 'web', urgency: 'normal', category: 'inquiry.policy',
    district: 'zmd-yc', street: null, community: null,
    title: '咨询驿城区人才公寓申请条件',
    content: '我是今年刚到驿城区工作的硕士毕业生，看到新闻说区里新开工建设人才公寓300套，想咨询入住对象需要满足什么条件、申请审核流程是怎样的、租金大概多少，什么时候开始接受申请。',
    locationText: null,
    contact: { name: '杨帆', phone: '13800000007', address: null },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'legal.notary',
    district: 'zmd-yc', street: 'zmd-yc-xiyuan', community: null,
    title: '老人卧床行动不便，申请公证上门服务',
    content: '我父亲今年89岁，卧床两年，需要办理一份委托公证，但他没法到公证处现场。听说区司法局公证处对行动不便的特殊对象可以上门服务，请问怎么预约，需要准备哪些材料。',
    locationText: null,
    contact: { name: '王志刚', phone: '13800000008', address: '驿城区西园街道' },
  },
  {
    kind: 'request', channel: 'letter', urgency: 'normal', category: 'other.misc',
    district: 'zmd-yc', street: 'zmd-yc-laojie', community: null,
    title: '小区围墙外空地归属不明，长期无人管理',
    content: '我们小区围墙外有一块空地，问了街道、社区和原来的开发商，都说不归自己管，现在堆满了废旧家具和杂物，还有人私搭棚子。写信反映，希望政府明确管理责任单位，清理后改成绿地或停车场。',
    locationText: '驿城区老街街道某小区围墙外',
    contact: { name: '程立新', phone: '13800000009', address: '驿城区老街街道' },
  },
  // 惠济区
  {
    kind: 'request', channel: 'hotline', urgency: 'complex', category: 'housing.elevator',
    district: 'zz-hj', street: 'zz-hj-yingbinlu', community: 'zz-hj-yingbinlu-guiyuan',
    title: '桂圆社区老家属院申请加装电梯',
    content: '我们楼是6层老楼，没有电梯，一个单元12户里有7户是60岁以上老人，上下楼非常吃力。现在单元里大部分业主同意加装电梯，但不清楚申请流程、政府补贴标准，以及一楼住户有意见怎么协调，希望社区和住建部门给予指导。',
    locationText: '惠济区迎宾路街道桂圆社区',
    contact: { name: '郭秀英', phone: '13800000010', address: '惠济区迎宾路街道桂圆社区' },
  },
  {
    kind: 'inquiry', channel: 'hotline', urgency: 'normal', category: 'civil.elderly_care',
    district: 'zz-hj', street: 'zz-hj-dahelu', community: 'zz-hj-dahelu-tianhe',
    title: '咨询天河社区老年助餐和上门探访服务',
    content: '我母亲独居在天河社区，腿脚不便。听说社区为老人提供“一站式”养老服务，想咨询能不能提供助餐、送餐上门以及定期上门探访，需要怎么登记，费用怎么算。',
    locationText: null,
    contact: { name: '李卫东', phone: '13800000011', address: null },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'traffic.dead_end_road',
    district: 'zz-hj', street: 'zz-hj-changxinglu', community: null,
    title: '小区北侧规划路修一半成断头路，出行绕远',
    content: '我们小区北侧的规划道路去年修了一半就停了，现在是断头路，出门去地铁站要多绕两公里，晚上没有路灯还有安全隐患。听说全区已有8条断头路达到通车条件，希望这条路也能尽快打通。',
    locationText: '惠济区长兴路街道辖区规划道路（断头路段）',
    contact: { name: '韩明', phone: '13800000012', address: '惠济区长兴路街道' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'emergency', category: 'utilities.gas_leak',
    district: 'zz-hj', street: 'zz-hj-liuzhai', community: null,
    title: '楼道内燃气味很重，疑似燃气泄漏',
    content: '刚下班回家发现3单元楼道里燃气味特别重，二楼和三楼之间最明显。已经敲门通知邻居不要开火、不要开关电器，并打开了楼道窗户。请燃气抢修人员马上过来排查。',
    locationText: '惠济区刘寨街道某小区3号楼3单元',
    contact: { name: '吴磊', phone: '13800000013', address: '惠济区刘寨街道某小区3号楼3单元' },
  },
  {
    kind: 'inquiry', channel: 'online_column', urgency: 'normal', category: 'housing.resettlement',
    district: 'zz-hj', street: null, community: null,
    title: '咨询贾河安置房交房后不动产证办理时间',
    content: '贾河安置房项目已经交房，我们也已经入住。通过“有事@我”栏目问一下：安置房的不动产权证什么时候能办理，需要本人准备哪些材料，到哪里办理。',
    locationText: '惠济区贾河安置区',
    contact: { name: '秦志强', phone: '13800000014', address: null },
  },
  {
    kind: 'inquiry', channel: 'hotline', urgency: 'normal', category: 'education.enrolment',
    district: 'zz-hj', street: 'zz-hj-xincheng', community: null,
    title: '咨询新投用小学的划片招生范围',
    content: '孩子今年9月上小学一年级，我们住在新城街道。听说今年区里有4所小学新投入使用，想咨询我们小区对应哪所学校，划片范围什么时候公布，网上报名需要准备哪些材料。',
    locationText: null,
    contact: { name: '潘静', phone: '13800000015', address: '惠济区新城街道' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'jobs.wage_arrears',
    district: 'zz-hj', street: 'zz-hj-huayuankou', community: null,
    title: '灾后重建工地拖欠12名工人工资',
    content: '我们12个人在花园口镇一处灾后重建工地干了三个多月的木工和钢筋活，包工头说工程款没到位，一共拖欠工资约18万元，已经拖了两个月。多次讨要无果，请求劳动保障监察部门帮忙追讨。',
    locationText: '惠济区花园口镇灾后重建项目工地',
    contact: { name: '彭大勇', phone: '13800000016', address: '惠济区花园口镇' },
  },
  // 金水区
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'traffic.dead_end_road',
    district: 'zz-js', street: null, community: null,
    title: '孟砦南街断头路何时打通',
    content: '孟砦南街沙口路到孟砦环路这一段一直不通，周边居民去沙口路只能绕行，早晚高峰附近路口特别堵。看到区里说年底前要把7条断头路全部建成通车，希望加快这一段的施工并公布通车时间。',
    locationText: '金水区孟砦南街（沙口路—孟砦环路）',
    contact: { name: '曹建民', phone: '13800000017', address: '金水区孟砦南街附近' },
  },
  {
    kind: 'inquiry', channel: 'web', urgency: 'normal', category: 'traffic.dead_end_road',
    district: 'zz-js', street: null, community: null,
    title: '红专路（海滩街—铁东路）打通工程进度咨询',
    content: '红专路海滩街到铁东路这一段什么时候能通车？现在施工围挡占了半幅路，行人和电动车挤在一起很危险。请告知工期安排，以及施工期间能否设置临时人行通道。',
    locationText: '金水区红专路（海滩街—铁东路）',
    contact: { name: '方雨', phone: '13800000018', address: null },
  },
  {
    kind: 'request', channel: 'walk_in', urgency: 'complex', category: 'housing.old_estate',
    district: 'zz-js', street: 'zz-js-dongfenglu', community: 'zz-js-dongfenglu-yuantian',
    title: '园田社区老旧小区改造后院内仍积水',
    content: '园田路断头路打通以后出行方便多了，感谢政府。但我们园田社区的老家属院改造完后，院内雨水管网没有接好，一下大雨院子里积水没过脚踝，一楼住户家里返潮。希望施工单位回来整改。',
    locationText: '金水区东风路街道园田社区',
    contact: { name: '许淑珍', phone: '13800000019', address: '金水区东风路街道园田社区' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'complex', category: 'housing.elevator',
    district: 'zz-js', street: 'zz-js-wenhualu', community: null,
    title: '文化路老楼加装电梯停工两个多月',
    content: '我们楼加装电梯已经办完审批，井道基础也打好了，但因为一楼住户反对，施工停了两个多月，楼下围挡至今没拆。希望街道和住建部门出面协调，尽快恢复施工。',
    locationText: '金水区文化路街道某家属院',
    contact: { name: '钱国庆', phone: '13800000020', address: '金水区文化路街道' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'city.street_vending',
    district: 'zz-js', street: 'zz-js-duling', community: 'zz-js-duling-zhangzhai',
    title: '西里路商户占道摆放样品，行人无法通行',
    content: '西里路婚纱照材一条街上，不少商户把样品架、模特架摆到人行道上，还有人在路边拍照占道，行人只能走机动车道，非常危险。希望城管加强管理，把人行道还给行人。',
    locationText: '金水区杜岭街道西里路',
    contact: { name: '董梅', phone: '13800000021', address: '金水区杜岭街道张砦街社区' },
  },
  {
    kind: 'request', channel: 'mobile', urgency: 'normal', category: 'city.appearance',
    district: 'zz-js', street: 'zz-js-renminlu', community: null,
    title: '楼院内飞线乱拉，影响美观和安全',
    content: '主干道的架空线缆已经入地了，但我们楼院里面还有很多飞线，网线、电线从这栋楼拉到那栋楼，有的垂得很低，车辆经过容易挂断。希望一并清理规整。',
    locationText: '金水区人民路街道某楼院',
    contact: { name: '罗斌', phone: '13800000022', address: null },
  },
  {
    kind: 'request', channel: 'walk_in', urgency: 'normal', category: 'legal.aid',
    district: 'zz-js', street: 'zz-js-huayuanlu', community: null,
    title: '工伤赔偿纠纷申请法律援助',
    content: '我在一家装修公司打工时从脚手架上摔下，右腿骨折，公司只支付了部分医药费，拒绝配合工伤认定和赔偿。我家庭经济困难，请不起律师，想申请法律援助，请问需要哪些材料。',
    locationText: null,
    contact: { name: '蒋勇', phone: '13800000023', address: '金水区花园路街道' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'traffic.parking',
    district: 'zz-js', street: 'zz-js-jingbalu', community: null,
    title: '老小区停车位紧张，夜间车辆堵塞消防通道',
    content: '我们小区是九十年代的老院，没有规划停车位，晚上车辆停满院子和消防通道，救护车都进不来。希望协调周边单位错时开放停车场，或者在附近道路施划夜间临时泊位。',
    locationText: '金水区经八路街道某老旧小区',
    contact: { name: '沈光明', phone: '13800000024', address: '金水区经八路街道' },
  },
  {
    kind: 'inquiry', channel: 'mobile', urgency: 'normal', category: 'health.vaccination',
    district: 'zz-js', street: 'zz-js-nanyangxincun', community: null,
    title: '咨询老年人疫苗接种预约方式',
    content: '我父母都70多岁了，不会用智能手机预约。想问一下南阳新村街道附近哪个接种点可以现场登记，有没有老年人绿色通道，需要带什么证件。',
    locationText: null,
    contact: { name: '韦娜', phone: '13800000025', address: null },
  },
  {
    kind: 'request', channel: 'web', urgency: 'normal', category: 'market.farmers_market',
    district: 'zz-js', street: 'zz-js-fengchanlu', community: null,
    title: '附近农贸市场关闭后买菜不方便',
    content: '原来的马路市场取缔后，周边一公里内没有正规的农贸市场，老人买菜要坐公交。听说区里今年新建6个高标准农贸市场，希望丰产路街道附近也能规划一个。',
    locationText: null,
    contact: { name: '徐丽华', phone: '13800000026', address: '金水区丰产路街道' },
  },
  // 二七区
  {
    kind: 'request', channel: 'mobile', urgency: 'normal', category: 'traffic.parking',
    district: 'zz-eq', street: 'zz-eq-huaihelu', community: null,
    title: '汉江路智慧停车泊位被长期占用',
    content: '汉江路5G智慧停车泊位有几个车位长期被同几辆车占着，好几天不挪，附近居民和来办事的人找不到车位。希望加强巡查，对长期占位、逃缴停车费的车辆依规处理。',
    locationText: '二七区汉江路',
    contact: { name: '冯涛', phone: '13800000027', address: null },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'city.noise',
    district: 'zz-eq', street: 'zz-eq-dehuajie', community: null,
    title: '德化步行街商铺促销音响声音太大',
    content: '德化步行街几家商铺门口放着大音箱循环播放促销广告，从早上10点到晚上10点不停，声音很大，街边楼上的住户和上班的人都受影响。希望管理部门规范商铺外放音响。',
    locationText: '二七区德化步行街',
    contact: { name: '何敏', phone: '13800000028', address: '二七区德化街街道' },
  },
  {
    kind: 'request', channel: 'walk_in', urgency: 'complex', category: 'housing.elevator',
    district: 'zz-eq', street: 'zz-eq-daxuelu', community: null,
    title: '郑大东生活区家属院申请第二批加装电梯',
    content: '郑州大学东生活区家属院首批两部电梯已经装好，老人们都很高兴。我们单元也是老人多，住6楼的邻居好几年下不了楼。想申请第二批加装，请指导如何征求业主意见和提交材料。',
    locationText: '二七区大学路郑州大学东生活区家属院',
    contact: { name: '吕建设', phone: '13800000029', address: '二七区大学路街道' },
  },
  {
    kind: 'request', channel: 'door_to_door', urgency: 'normal', category: 'civil.elderly_care',
    district: 'zz-eq', street: 'zz-eq-daxuelu', community: 'zz-eq-daxuelu-songshan',
    title: '建议嵩山社区日间照料中心扩大送餐范围',
    content: '嵩山社区日间照料中心的堂食和送餐服务很好，但目前送餐只覆盖周边几个院，我们院离得稍远就送不到。院里有不少独居高龄老人，希望扩大送餐范围，并增加周末服务。',
    locationText: null,
    contact: { name: '蔡玉珍', phone: '13800000030', address: '二七区大学路街道嵩山社区' },
  },
  {
    kind: 'inquiry', channel: 'hotline', urgency: 'normal', category: 'civil.subsistence',
    district: 'zz-eq', street: 'zz-eq-jianzhongjie', community: null,
    title: '咨询城市低保申请条件和办理流程',
    content: '我丈夫去年因病失去劳动能力，家里只靠我打零工维持，孩子还在上学。想咨询我们家是否符合城市低保条件，需要准备哪些材料，是到社区还是街道申请，多长时间能审批下来。',
    locationText: null,
    contact: { name: '田凤', phone: '13800000031', address: '二七区建中街街道' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'housing.property_mgmt',
    district: 'zz-eq', street: null, community: null,
    title: '老旧小区改造后物业收费标准不透明',
    content: '人和路6号院改造后环境确实好了很多，也引进了物业。但最近物业通知收取物业费和停车费，收费标准没有公示，也没有召开业主大会，不少老住户有意见。希望相关部门指导规范收费。',
    locationText: '二七区人和路6号院',
    contact: { name: '张秀兰', phone: '13800000032', address: '二七区人和路6号院' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'jobs.wage_arrears',
    district: 'zz-eq', street: 'zz-eq-mazhai', community: null,
    title: '马寨产业集聚区一企业拖欠工人三个月工资',
    content: '我在马寨产业集聚区一家机械加工厂上班，厂里以汛情影响为由已经三个月没发工资，每人被拖欠约1.5万元，涉及二十多名工人。现在企业已经复工复产，但老板一直拖着不发，请求帮助追讨。',
    locationText: '二七区马寨产业集聚区',
    contact: { name: '石军', phone: '13800000033', address: '二七区马寨镇' },
  },
  {
    kind: 'inquiry', channel: 'hotline', urgency: 'normal', category: 'education.enrolment',
    district: 'zz-eq', street: null, community: null,
    title: '咨询陇西小学景中路校区招生划片',
    content: '陇西小学景中路校区是新建校区，我们小区离得很近，想问一下今年一年级招生是否包含我们小区，划片范围在哪里公布，户籍和房产不在同一地址的怎么办理。',
    locationText: null,
    contact: { name: '郝丽', phone: '13800000034', address: null },
  },
  {
    kind: 'request', channel: 'suggestion_box', urgency: 'normal', category: 'education.school_surroundings',
    district: 'zz-eq', street: 'zz-eq-wulibao', community: null,
    title: '学校门口上下学拥堵，建议设置临时接送区',
    content: '五里堡辖区一所小学门口放学时家长车辆乱停，占满机动车道，孩子在车缝里穿行很危险。建议设置临时接送停车区，安排交警和志愿者疏导，并在校门口增设护栏。',
    locationText: '二七区五里堡街道某小学门口',
    contact: null,
  },
  // 中原区
  {
    kind: 'request', channel: 'door_to_door', urgency: 'normal', category: 'legal.mediation',
    district: 'zz-zy', street: 'zz-zy-lvdongcun', community: 'zz-zy-lvdongcun-ershayi',
    title: '楼上住户深夜噪声，邻里多次协商未果',
    content: '楼上住户经常在深夜十二点以后拖动桌椅，走路声音很重，孩子第二天要上学休息不好。我们上门沟通过几次，对方态度不好，希望社区民调员出面调解。',
    locationText: null,
    contact: { name: '范丽娟', phone: '13800000035', address: '中原区绿东村街道二砂一社区' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'legal.mediation',
    district: 'zz-zy', street: 'zz-zy-lvdongcun', community: 'zz-zy-lvdongcun-sanmo',
    title: '楼上卫生间管道漏水，邻居拒绝维修',
    content: '我家卫生间顶棚长期渗水，墙皮发霉，检查确认是楼上卫生间下水管道漏水。找楼上邻居协商维修，对方说不是他家的问题、拒绝配合，物业也协调不了，请求调解。',
    locationText: null,
    contact: { name: '宋晓东', phone: '13800000036', address: '中原区绿东村街道三磨社区' },
  },
  {
    kind: 'request', channel: 'suggestion_box', urgency: 'normal', category: 'culture.fitness',
    district: 'zz-zy', street: 'zz-zy-sanguanmiao', community: null,
    title: '建议在社区游园增加健身器材和照明',
    content: '意见箱留言：三官庙街道辖区的小游园晚上没有照明，健身器材也只有几件，跳广场舞和锻炼的居民很多。建议增设路灯和一些适合老人的健身器材，提高游园的使用率。',
    locationText: '中原区三官庙街道辖区小游园',
    contact: null,
  },
  {
    kind: 'request', channel: 'questionnaire', urgency: 'complex', category: 'housing.old_estate',
    district: 'zz-zy', street: 'zz-zy-mianfanglu', community: null,
    title: '棉纺路老厂区家属院急需整体改造',
    content: '调查问卷反映：棉纺路老厂区家属院楼龄四十多年，屋顶漏水、外墙没有保温，暖气管道老化，院内路面坑洼，没有停车位和充电桩。居民希望纳入老旧小区改造计划，同时考虑加装电梯。',
    locationText: '中原区棉纺路街道老厂区家属院',
    contact: { name: '郑爱国', phone: '13800000037', address: '中原区棉纺路街道' },
  },
  {
    kind: 'request', channel: 'walk_in', urgency: 'normal', category: 'civil.subsistence',
    district: 'zz-zy', street: 'zz-zy-linshanzhai', community: null,
    title: '残疾独居老人申请低保，请社区协助办理',
    content: '我邻居王大爷70多岁，一级肢体残疾，一个人住，没有退休金。他不识字也走不了远路，想申请低保和公租房，希望社区工作人员能上门帮他填表、协助办理。',
    locationText: null,
    contact: { name: '林志伟', phone: '13800000038', address: '中原区林山寨街道' },
  },
  {
    kind: 'request', channel: 'hotline', urgency: 'normal', category: 'city.noise',
    district: 'zz-zy', street: null, community: null,
    title: '五一公园广场舞音响太吵',
    content: '五一公园每天晚上7点到9点半有好几支广场舞队伍，音响一个比一个大，临近居民楼里在家看电视都听不清。希望引导舞蹈队降低音量或使用无线耳机，晚上9点后停止。',
    locationText: '中原区五一公园',
    contact: { name: '钟华', phone: '13800000039', address: null },
  },
  {
    kind: 'request', channel: 'web', urgency: 'normal', category: 'city.appearance',
    district: 'zz-zy', street: 'zz-zy-tongbailu', community: null,
    title: '背街小巷垃圾堆积一周无人清运',
    content: '桐柏路街道一条背街小巷里，建筑垃圾和生活垃圾堆了一个多星期，天热气味很大，招苍蝇老鼠。马上要迎接国家卫生城市复审了，希望尽快清运并加强日常保洁。',
    locationText: '中原区桐柏路街道某背街小巷',
    contact: null,
  },
  {
    kind: 'inquiry', channel: 'hotline', urgency: 'normal', category: 'jobs.social_insurance',
    district: 'zz-zy', street: 'zz-zy-ruhelu', community: null,
    title: '咨询灵活就业人员社保补贴政策',
    content: '我今年45岁，之前在工厂上班，现在做灵活就业。想咨询像我这种情况能不能申请灵活就业人员社会保险补贴，需要什么条件，在哪里申请，一年能补多少。',
    locationText: null,
    contact: { name: '谢建平', phone: '13800000040', address: '中原区汝河路街道' },
  },
  {
    kind: 'request', channel: 'open311', urgency: 'normal', category: 'city.streetlight',
    district: 'zz-zy', street: 'zz-zy-ruhelu', community: null,
    title: '汝河路一段路灯连续多日不亮',
    content: '汝河路靠近汝河新区第二幼儿园的一段，约五六盏路灯已经连续一周晚上不亮。晚上接孩子的家长和行人很多，电动车也多，很不安全，请尽快维修。',
    locationText: '中原区汝河路（汝河新区第二幼儿园附近）',
    contact: { name: '邹敏', phone: '13800000041', address: null },
  },
];
