// Draws each tab from the normalized model (model.js). Every drawn element that tests or
// people look for carries a stable id or data-testid.
import {MISSING, badge, badgeKind, el, fillTable, fmtAgo, fmtClock, fmtCount, fmtRate, fmtValue,
        pick, replaceChildren} from './dom.js';
import {exceptionList, instanceCounts, instanceList, namingFailoverInstances, namingSwitches,
        propertyRows, redisEndpoints, settingRows} from './model.js';

const KPI_COLUMNS = [
  {key: 'name', label: 'API', value: (a) => a.name, sortKey: (a) => a.name},
  {key: 'health', label: 'Health', value: (a) => badge(a.health || 'UNKNOWN'),
   sortKey: (a) => ({UNHEALTHY: 0, DEGRADED: 1, HEALTHY: 3, IDLE: 4}[a.health] ?? 2)},
  {key: 'healthy', label: 'Healthy', numeric: true, value: (a) => fmtRate(a.healthy)},
  {key: 'success', label: 'Success', numeric: true, value: (a) => fmtRate(a.success)},
  {key: 'failover', label: 'Failover', numeric: true, value: (a) => fmtRate(a.failover)},
  {key: 'recovery', label: 'Recovery', numeric: true, value: (a) => fmtRate(a.recovery)},
  {key: 'nonRecovery', label: 'Non-recovery', numeric: true,
   value: (a) => fmtRate(a.nonRecovery)},
  {key: 'stored', label: 'Stored', numeric: true, value: (a) => fmtCount(a.stored)},
  {key: 'recovered', label: 'Recovered', numeric: true, value: (a) => fmtCount(a.recovered)},
  {key: 'notRecovered', label: 'Not recovered', numeric: true,
   value: (a) => fmtCount(a.notRecovered)},
  {key: 'errors', label: 'Errors', numeric: true, value: (a) => fmtCount(a.errors)},
  {key: 'successCalls', label: 'Calls ok', numeric: true, value: (a) => fmtCount(a.successCalls)},
  {key: 'failoverCalls', label: 'Calls failed over', numeric: true,
   value: (a) => fmtCount(a.failoverCalls)},
  {key: 'upstreamP99', label: 'Upstream p99', numeric: true, value: (a) => fmtSeconds(a.upstreamP99)},
  {key: 'domain', label: 'Domain', value: (a) => a.domain, sortKey: (a) => a.domain ?? ''},
];

function fmtSeconds(value) {
  if (value === undefined) return MISSING;
  return value < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(2)} s`;
}

// A <meter> shows a rate without inline styles (the CSP forbids them).
function rateMeter(value) {
  if (value === undefined) return el('span', {class: 'muted'}, MISSING);
  return el('meter', {min: 0, max: 1, low: 0.9, high: 0.99, optimum: 1, value: value});
}

function kpiLine(label, value, testid) {
  return el('div', {class: 'kpi'}, el('span', {class: 'kpi-label'}, label),
      el('span', {class: 'kpi-value', 'data-testid': testid}, fmtRate(value)));
}

export function drawOverallStatus(node, status) {
  const word = status || 'UNKNOWN';
  node.textContent = word;
  node.className = `badge badge-big badge-${badgeKind(word)}`;
  node.dataset.status = word;
}

export function drawApiCards(container, apis, failure) {
  if (failure) {
    replaceChildren(container, el('p', {class: 'muted wide'}, `APIs unavailable: ${failure}`));
    return;
  }
  if (apis.length === 0) {
    replaceChildren(container, el('p', {class: 'muted wide', 'data-testid': 'no-apis'},
        'No failover API has reported yet.'));
    return;
  }
  replaceChildren(container, apis.map((api) => {
    const health = api.health || 'UNKNOWN';
    return el('article', {class: `card card-${health.toLowerCase()}`,
                          'data-testid': `api-card-${api.name}`, 'data-health': health},
        el('header', {}, el('h3', {}, api.name),
            badge(health, {'data-testid': `api-health-${api.name}`})),
        rateMeter(api.healthy),
        kpiLine('healthy', api.healthy, `api-healthy-${api.name}`),
        kpiLine('success', api.success, `api-success-${api.name}`),
        kpiLine('failover', api.failover, `api-failover-${api.name}`),
        kpiLine('recovery', api.recovery, `api-recovery-${api.name}`),
        el('div', {class: 'kpi muted'}, el('span', {class: 'kpi-label'}, 'stored / failovers'),
            el('span', {class: 'kpi-value'},
                `${fmtCount(api.stored)} / ${fmtCount(api.failovers ?? sum(api))}`)));
  }));
}

function sum(api) {
  const parts = [api.recovered, api.notRecovered, api.errors];
  return parts.every((p) => p === undefined) ? undefined : parts.reduce((s, p) => s + (p ?? 0), 0);
}

// The APIs table, sortable by clicking a heading (the sort survives refreshes).
export function drawApisTable(table, apis, sort, onSort) {
  const column = KPI_COLUMNS.find((c) => c.key === sort.key) || KPI_COLUMNS[1];
  const keyOf = column.sortKey || ((a) => a[column.key] ?? -1);
  const sorted = [...apis].sort((a, b) => {
    const x = keyOf(a), y = keyOf(b);
    const order = typeof x === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return (sort.descending ? -order : order) || a.name.localeCompare(b.name);
  });
  fillTable(table, KPI_COLUMNS, sorted, {
    rowAttrs: (a) => ({'data-testid': `api-row-${a.name}`}),
    empty: 'No failover API has reported yet.',
  });
  for (const th of table.querySelectorAll('th')) {
    const key = th.dataset.column;
    th.classList.add('sortable');
    if (key === column.key) th.classList.add(sort.descending ? 'sorted-desc' : 'sorted-asc');
    th.addEventListener('click', () => onSort(key));
  }
}

export function drawExceptions(table, data, failure) {
  const rows = failure ? [] : exceptionList(data);
  fillTable(table, [
    {key: 'name', label: 'API', value: (e) => e.name},
    {key: 'type', label: 'Exception type', value: (e) => e.type},
    {key: 'count', label: 'Count', numeric: true, value: (e) => fmtCount(e.count)},
  ], rows, {empty: failure ? `Exceptions unavailable: ${failure}` : 'No exceptions recorded.'});
}

export function drawInstances(table, data, failure, now = new Date()) {
  const instances = failure ? [] : instanceList(data);
  fillTable(table, [
    {key: 'id', label: 'Instance', value: (i) => i.id},
    {key: 'liveness', label: 'Status',
     value: (i) => badge(i.liveness, {'data-testid': `instance-status-${i.id}`})},
    {key: 'lastSeen', label: 'Last seen', value: (i) => fmtAgo(i.lastSeen, now)},
    {key: 'lastHeartbeat', label: 'Last heartbeat', value: (i) => fmtClock(i.lastHeartbeat)},
    {key: 'lastSnapshot', label: 'Last snapshot', value: (i) => fmtClock(i.lastSnapshot)},
    {key: 'sequence', label: 'Sequence', numeric: true, value: (i) => fmtCount(i.sequence)},
    {key: 'restarts', label: 'Restarts', numeric: true, value: (i) => fmtCount(i.restarts)},
    {key: 'lost', label: 'Lost snapshots', numeric: true, value: (i) => fmtCount(i.lost)},
    {key: 'series', label: 'Series', numeric: true, value: (i) => fmtCount(i.series)},
  ], instances, {
    rowAttrs: (i) => ({'data-testid': `instance-row-${i.id}`, 'data-liveness': i.liveness}),
    empty: failure ? `Instances unavailable: ${failure}` : 'No instance has reported yet.',
  });
}

// The overview's one-line summary: APIs by health and instances by liveness.
export function drawSummary(node, apis, metrics) {
  const count = (h) => apis.filter((a) => a.health === h).length;
  const instances = instanceCounts(metrics);
  const parts = [`${apis.length} APIs: ${count('UNHEALTHY')} unhealthy, ` +
                 `${count('DEGRADED')} degraded, ${count('HEALTHY')} healthy`];
  if (instances) {
    parts.push(`instances: ${fmtCount(instances.live)} live, ${fmtCount(instances.down)} down, ` +
               `${fmtCount(instances.unknown)} unknown`);
  }
  node.textContent = parts.join(' · ');
}

// api/failover-health: the overall status and every API's health, worst first.
export function drawFailoverHealth(container, apis, status, failure) {
  if (failure) {
    replaceChildren(container, el('p', {class: 'muted'}, `Unavailable: ${failure}`));
    return;
  }
  replaceChildren(container,
      el('p', {}, 'Overall: ', badge(status || 'UNKNOWN', {'data-testid': 'failover-health-overall'})),
      el('ul', {class: 'health-list'}, apis.map((a) => el('li', {'data-testid': `health-${a.name}`},
          badge(a.health || 'UNKNOWN'), ' ', el('strong', {}, a.name),
          el('span', {class: 'muted'}, ` healthy ${fmtRate(a.healthy)}, success ` +
              `${fmtRate(a.success)}, failover ${fmtRate(a.failover)}`)))));
}

// api/health: whether failoverd can read its metrics source, and the instances it knows.
export function drawServerHealth(container, data, failure) {
  if (failure && !data) {
    replaceChildren(container, el('p', {class: 'muted'}, `Unavailable: ${failure}`));
    return;
  }
  const source = pick(data, 'source');
  const instances = instanceCounts(data);
  replaceChildren(container,
      el('p', {}, 'Status: ', badge(pick(data, 'status') || 'UNKNOWN',
                                    {'data-testid': 'server-health-overall'})),
      el('dl', {class: 'facts'},
          el('dt', {}, 'Metrics source'), el('dd', {}, fmtValue(pick(data, 'mode'))),
          el('dt', {}, 'Source reachable'),
          el('dd', {}, badge(pick(source, 'reachable') === undefined ? 'UNKNOWN' :
                             (pick(source, 'reachable') ? 'YES' : 'NO'))),
          el('dt', {}, 'Source error'), el('dd', {}, fmtValue(pick(source, 'error'))),
          el('dt', {}, 'Instances'),
          el('dd', {}, instances ? `${fmtCount(instances.live)} live, ${fmtCount(instances.down)} ` +
              `down, ${fmtCount(instances.unknown)} unknown (${fmtCount(instances.total)} in all)`
              : MISSING)));
}

// api/config/settings: every failover.* property, its value (secrets masked by the server) and
// its default.
export function drawProperties(table, data, failure) {
  fillTable(table, [
    {key: 'key', label: 'Property', value: (r) => r.key},
    {key: 'value', label: 'Value', value: (r) => r.secret && r.value ?
        el('span', {class: 'secret'}, fmtValue(r.value)) : fmtValue(r.value)},
    {key: 'default', label: 'Default', value: (r) => fmtValue(r.defaultValue)},
    {key: 'type', label: 'Type', value: (r) => r.type},
  ], failure ? [] : propertyRows(data), {
    rowAttrs: (r) => ({'data-testid': `setting-${r.key}`,
                       class: r.value !== r.defaultValue ? 'changed' : undefined}),
    empty: failure ? `Unavailable: ${failure}` : 'No properties.',
  });
}

// api/config: what the dashboard itself runs with, flattened to dotted keys.
export function drawConfig(table, data, failure) {
  fillTable(table, [
    {key: 'key', label: 'Key', value: (r) => r.key},
    {key: 'value', label: 'Value', value: (r) => fmtValue(r.value)},
  ], failure ? [] : settingRows(data), {
    rowAttrs: (r) => ({'data-testid': `config-${r.key}`}),
    empty: failure ? `Unavailable: ${failure}` : 'Nothing configured.',
  });
}

export function drawRedisAndNaming(tables, metrics, failure) {
  const why = failure ? `Unavailable: ${failure}` : undefined;
  fillTable(tables.redis, [
    {key: 'instance', label: 'Instance', value: (r) => r.instance},
    {key: 'endpoint', label: 'Endpoint', value: (r) => r.endpoint},
    {key: 'active', label: 'Active', value: (r) => yesNo(r.active)},
    {key: 'healthy', label: 'Healthy', value: (r) => yesNo(r.healthy)},
    {key: 'breaker', label: 'Breaker', value: (r) => badge(r.breaker ?? 'UNKNOWN')},
  ], failure ? [] : redisEndpoints(metrics), {
    rowAttrs: (r) => ({'data-testid': `redis-row-${r.instance ?? ''}-${r.endpoint}`}),
    empty: why || 'No instance reports Redis endpoints (failover.redis.endpoint.* gauges).',
  });
  fillTable(tables.naming, [
    {key: 'instance', label: 'Instance', value: (r) => r.instance},
    {key: 'namespace', label: 'Namespace', value: (r) => r.namespace},
    {key: 'on', label: 'Failover switch', value: (r) => badge(r.on === undefined ? 'UNKNOWN' :
        (r.on ? 'ON' : 'OFF'))},
  ], failure ? [] : namingSwitches(metrics), {
    rowAttrs: (r) => ({'data-testid': `naming-row-${r.instance ?? ''}-${r.namespace ?? ''}`}),
    empty: why || 'No instance reports a naming failover switch (failover.naming.switch gauge).',
  });
  fillTable(tables.namingInstances, [
    {key: 'instance', label: 'Instance', value: (r) => r.instance},
    {key: 'namespace', label: 'Namespace', value: (r) => r.namespace},
    {key: 'service', label: 'Service', value: (r) => r.service},
    {key: 'instances', label: 'Failover instances', numeric: true,
     value: (r) => fmtCount(r.instances)},
  ], failure ? [] : namingFailoverInstances(metrics), {
    empty: why || 'No service is served from naming failover data.',
  });
}

// api/naming/switch: the switch failoverd itself serves to naming clients (FailoverData).
export function drawServedSwitch(container, result) {
  if (!result.ok) {
    replaceChildren(container, el('p', {class: 'muted'}, result.status === 404 ?
        'Not served here (add naming to failover.dashboard.exposure.include).' :
        `Unavailable: ${result.message}`));
    return;
  }
  const data = result.data;
  const on = pick(data, 'enabled');
  const reason = pick(data, 'reason');
  replaceChildren(container, el('p', {},
      badge(on === undefined ? 'UNKNOWN' : (on ? 'ON' : 'OFF'),
            {'data-testid': 'served-switch-state'}),
      ` revision ${fmtValue(pick(data, 'revision'))}`,
      reason ? ` · ${reason}` : ''));
}

function yesNo(value) {
  if (value === undefined || value === null) return badge('UNKNOWN');
  return badge(value ? 'YES' : 'NO');
}
