// Tiny DOM helpers. Text always goes in as text nodes, never as HTML, so API data cannot inject markup.

/**
 * h('div', { class: 'card', onclick: fn, for: 'x', hidden: true }, 'text', child, [more])
 * Attributes: `class`, `for`, `data-*`, `aria-*` as attributes; `on*` as listeners; booleans toggle;
 * `value` / `checked` / `selected` / `disabled` as properties. null/undefined/false are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value' || k === 'checked' || k === 'selected' || k === 'disabled') el[k] = v;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replace all children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** <option>s for a select, with an optional placeholder first. */
export function options(items, selected, placeholder) {
  const out = [];
  if (placeholder !== undefined) out.push(h('option', { value: '' }, placeholder));
  for (const it of items) out.push(h('option', { value: it.value, selected: it.value === selected }, it.label));
  return out;
}

/** A polite live-region toast at the bottom of the page. */
export function toast(message, kind = 'info') {
  let region = document.getElementById('toast-region');
  if (!region) {
    region = h('div', { id: 'toast-region', class: 'toast-region', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(region);
  }
  const el = h('div', { class: `toast toast-${kind}` }, message);
  region.appendChild(el);
  setTimeout(() => el.remove(), 4000);
}
