// DOM and formatting helpers. Everything is built with createElement/textContent (never
// innerHTML), so values from the server cannot inject markup, and nothing needs inline styles.

export const MISSING = '—';

// el('td', {class: 'num', 'data-testid': 'x'}, 'text', childNode, ...)
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function replaceChildren(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null));
}

// The first of `names` that `obj` has (not undefined/null), else undefined.
export function pick(obj, ...names) {
  if (!obj || typeof obj !== 'object') return undefined;
  for (const name of names) {
    if (obj[name] !== undefined && obj[name] !== null) return obj[name];
  }
  return undefined;
}

// An array as is; an object keyed by name as [{name, ...value}]; anything else as [].
export function toList(value, keyField = 'name') {
  if (Array.isArray(value)) return value;
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).map(([key, item]) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? {[keyField]: key, ...item}
      : {[keyField]: key, value: item});
}

export function toNumber(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

// A rate in [0, 1] as "97.5 %"; a value above 1 is taken as a percentage already.
export function fmtRate(value) {
  const n = toNumber(value);
  if (n === undefined) return MISSING;
  const percent = n > 1 ? n : n * 100;
  return `${percent.toFixed(1)} %`;
}

export function fmtCount(value) {
  const n = toNumber(value);
  if (n === undefined) return MISSING;
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2);
}

export function fmtValue(value) {
  if (value === undefined || value === null || value === '') return MISSING;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : value.map(fmtValue).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// A time from the server: ISO-8601 text, or a number of nanoseconds, milliseconds or seconds
// since the epoch (told apart by magnitude). Undefined when absent or never (year < 1971).
export function toDate(value) {
  if (value === undefined || value === null || value === '') return undefined;
  let date;
  const n = toNumber(value);
  if (n !== undefined) {
    if (n <= 0) return undefined;
    if (n > 1e17) date = new Date(n / 1e6);       // nanoseconds
    else if (n > 1e11) date = new Date(n);        // milliseconds
    else date = new Date(n * 1000);               // seconds
  } else if (typeof value === 'string') {
    date = new Date(value);
  }
  if (!date || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1971) return undefined;
  return date;
}

export function fmtAgo(date, now = new Date()) {
  if (!date) return 'never';
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 0) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function fmtClock(date) {
  return date ? date.toLocaleTimeString('en-GB', {hour12: false}) : MISSING;
}

// A status word as a coloured badge: HEALTHY/UP/LIVE green, DEGRADED/UNKNOWN amber,
// UNHEALTHY/DOWN red. A naming failover switch that is ON (serving from failover data) is amber.
export function badge(text, attrs = {}) {
  const word = text ? String(text).toUpperCase() : MISSING;
  return el('span', {...attrs, class: `badge badge-${badgeKind(word)}`}, word);
}

export function badgeKind(word) {
  switch (word) {
    case 'HEALTHY': case 'UP': case 'LIVE': case 'CLOSED': case 'OFF': case 'YES':
      return 'good';
    case 'DEGRADED': case 'HALF_OPEN': case 'DISABLED': case 'UNKNOWN': case 'ON':
      return 'warn';
    case 'UNHEALTHY': case 'DOWN': case 'OPEN': case 'FORCED_OPEN': case 'NO':
      return 'bad';
    default:
      return 'unknown';
  }
}

// A table with a header row and one row per item; `columns` are
// {label, value(item) -> text or Node, numeric?, sortKey?(item)}.
export function fillTable(table, columns, items, {rowAttrs, empty = 'Nothing to show.'} = {}) {
  const head = el('thead', {}, el('tr', {}, columns.map((c) =>
    el('th', {class: c.numeric ? 'num' : undefined, 'data-column': c.key}, c.label))));
  const rows = items.map((item) => el('tr', rowAttrs ? rowAttrs(item) : {}, columns.map((c) => {
    const value = c.value(item);
    return el('td', {class: c.numeric ? 'num' : undefined}, value instanceof Node ? value :
      (value === undefined || value === null || value === '' ? MISSING : String(value)));
  })));
  if (rows.length === 0) {
    rows.push(el('tr', {}, el('td', {class: 'muted', colspan: columns.length}, empty)));
  }
  replaceChildren(table, head, el('tbody', {}, rows));
}
