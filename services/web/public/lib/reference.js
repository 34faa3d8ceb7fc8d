// Org units and categories, loaded once per page load and shared by every screen.
import { api } from './api.js';
import { getLang, t } from '../i18n.js';

let loaded = null;
/** @type {{ units: any[], unitById: Map<string, any>, categories: any[], categoryById: Map<string, any> }} */
export const ref = { units: [], unitById: new Map(), categories: [], categoryById: new Map() };

export function loadReference() {
  if (!loaded) {
    loaded = Promise.all([api('/org-units'), api('/categories')]).then(([u, c]) => {
      ref.units = u.data;
      ref.unitById = new Map(u.data.map((x) => [x.id, x]));
      ref.categories = c.data;
      ref.categoryById = new Map(c.data.map((x) => [x.id, x]));
      return ref;
    }, (err) => {
      loaded = null;
      throw err;
    });
  }
  return loaded;
}

const collator = () => new Intl.Collator(getLang() === 'en' ? 'en' : 'zh-CN');

/** Display name of a unit or category record: English name in English when there is one. */
export function displayName(rec) {
  if (!rec) return '';
  return getLang() === 'en' && rec.nameEn ? rec.nameEn : rec.name;
}

/** Name of a unit by id, with the API-provided fallback name. */
export function unitName(id, fallback) {
  const u = id ? ref.unitById.get(id) : null;
  return u ? displayName(u) : (fallback ?? id ?? '');
}

/**
 * 区 / 街道 in the UI's language: `district` and `street` are { id, name } (street may be null).
 * English street names already start with their district ("Jinshui District Dongfenglu Subdistrict").
 */
export function areaName(district, street, separator = ' / ') {
  const districtName = district ? unitName(district.id, district.name) : '';
  const streetName = street ? unitName(street.id, street.name) : '';
  return streetName && districtName && streetName.startsWith(districtName) ? streetName : [districtName, streetName].filter(Boolean).join(separator);
}

/** Name of a category by id, with the API-provided fallback name. */
export function categoryName(id, fallback) {
  const c = id ? ref.categoryById.get(id) : null;
  return c ? displayName(c) : (fallback ?? '');
}

/** The extra fields (分类信息) a category asks for: [{ key, label, labelEn, type, required, options? }]. */
export function categoryFields(id) {
  const list = id ? ref.categoryById.get(id)?.extraFields : null;
  return Array.isArray(list) ? list.filter((f) => f && typeof f.key === 'string' && f.key) : [];
}

/** Label of an extra field (or a petition's detail entry) in the current language. */
export function fieldLabel(f) {
  if (!f) return '';
  return getLang() === 'en' && f.labelEn ? f.labelEn : (f.label ?? f.key ?? '');
}

export function byName(a, b) {
  return collator().compare(displayName(a), displayName(b));
}

export function districts() {
  return ref.units.filter((u) => u.kind === 'district').sort(byName);
}

export function childrenOf(parentId, kind) {
  return ref.units.filter((u) => u.parentId === parentId && u.kind === kind).sort(byName);
}

/**
 * Units that work tasks (departments, streets, hotline centres), grouped by district for <optgroup>s:
 * [{ label, units: [...] }], departments before streets inside a district.
 */
export function workingUnitGroups() {
  const groups = [];
  for (const d of districts()) {
    const depts = childrenOf(d.id, 'department');
    const streets = childrenOf(d.id, 'street');
    if (depts.length) groups.push({ label: `${displayName(d)} · ${t('queue.departments')}`, units: depts });
    if (streets.length) groups.push({ label: `${displayName(d)} · ${t('queue.streets')}`, units: streets });
  }
  const other = ref.units.filter((u) => u.kind === 'centre').sort(byName);
  if (other.length) groups.push({ label: t('unitGroup.other'), units: other });
  return groups;
}

/**
 * Category tree for the picker: one group per top-level category holding its leaf descendants
 * ([{ parent, leaves: [{ cat, label }] }]); deeper leaves are labelled with their path below the root.
 */
export function categoryGroups() {
  const kids = new Map();
  for (const c of ref.categories) {
    if (!c.parentId) continue;
    const list = kids.get(c.parentId) ?? [];
    list.push(c);
    kids.set(c.parentId, list);
  }
  const leavesOf = (node, path) => {
    const children = (kids.get(node.id) ?? []).slice().sort(byName);
    if (children.length === 0) return [{ cat: node, label: path.join(' / ') }];
    return children.flatMap((c) => leavesOf(c, [...path, displayName(c)]));
  };
  return ref.categories.filter((c) => !c.parentId).sort(byName).map((root) => {
    const leaves = leavesOf(root, []);
    return { parent: root, leaves: leaves.map((l) => (l.label ? l : { cat: root, label: displayName(root) })) };
  });
}
