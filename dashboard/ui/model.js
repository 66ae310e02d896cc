// Turns the API's JSON into the few shapes the pages draw. Written defensively: fields may be
// camelCase or snake_case, lists may be arrays or objects keyed by name, and anything missing
// stays undefined (drawn as "—").
import {pick, toDate, toList, toNumber} from './dom.js';

const HEALTH_ORDER = {UNHEALTHY: 0, DEGRADED: 1, UNKNOWN: 2, HEALTHY: 3};

function upper(value) {
  return typeof value === 'string' && value !== '' ? value.toUpperCase() : undefined;
}

// "UP", "DOWN" or undefined, from api/failover-health.
export function overallStatus(failoverHealth) {
  if (typeof failoverHealth === 'string') return upper(failoverHealth);
  return upper(pick(failoverHealth, 'status', 'overall', 'overallStatus', 'state'));
}

function apiEntries(data) {
  if (!data || typeof data !== 'object') return [];
  if (Array.isArray(data)) return data;
  const list = pick(data, 'apis', 'failovers', 'details', 'components', 'kpis', 'names');
  return toList(list);
}

function kpiFields(item) {
  const counts = pick(item, 'counts') || item;
  const kpis = pick(item, 'kpis', 'rates') || item;
  return {
    success: toNumber(pick(kpis, 'successRate', 'success_rate', 'success')),
    failover: toNumber(pick(kpis, 'failoverRate', 'failover_rate', 'failover')),
    recovery: toNumber(pick(kpis, 'recoveryRate', 'recovery_rate', 'recovery')),
    nonRecovery: toNumber(pick(kpis, 'nonRecoveryRate', 'non_recovery_rate', 'nonRecovery')),
    healthy: toNumber(pick(kpis, 'healthyRate', 'healthy_rate', 'healthy')),
    stored: toNumber(pick(counts, 'storedSuccesses', 'stored_successes', 'stored', 'successes')),
    recovered: toNumber(pick(counts, 'recovered')),
    notRecovered: toNumber(pick(counts, 'notRecovered', 'not_recovered')),
    errors: toNumber(pick(counts, 'errors', 'error')),
    failovers: toNumber(pick(counts, 'failovers', 'failoverCount', 'failover_count')),
  };
}

function healthWord(item) {
  if (typeof item === 'string') return upper(item);
  return upper(pick(item, 'health', 'status', 'state', 'value'));
}

// Every API the metrics or the failover health name, merged by name, worst first:
// [{name, health, success, failover, recovery, nonRecovery, healthy, stored, ...}].
export function apiList(metrics, failoverHealth) {
  const byName = new Map();
  for (const item of apiEntries(metrics)) {
    const name = pick(item, 'name', 'api', 'failoverName');
    if (name === undefined) continue;
    byName.set(String(name), {name: String(name), health: healthWord(item), ...kpiFields(item)});
  }
  for (const item of apiEntries(failoverHealth)) {
    const name = pick(item, 'name', 'api', 'failoverName');
    if (name === undefined) continue;
    const entry = byName.get(String(name)) || {name: String(name)};
    const health = healthWord(item);
    if (health) entry.health = health;
    const fields = kpiFields(item);
    for (const [key, value] of Object.entries(fields)) {
      if (entry[key] === undefined && value !== undefined) entry[key] = value;
    }
    byName.set(String(name), entry);
  }
  return [...byName.values()].sort(worstFirst);
}

export function worstFirst(a, b) {
  const rank = (h) => (h in HEALTH_ORDER ? HEALTH_ORDER[h] : HEALTH_ORDER.UNKNOWN);
  return rank(a.health) - rank(b.health) ||
      (a.healthy ?? 2) - (b.healthy ?? 2) || a.name.localeCompare(b.name);
}

// [{id, liveness, lastSeen, lastSnapshot, lastHeartbeat, restarts, lost, sequence, series}].
export function instanceList(data) {
  const list = Array.isArray(data) ? data : toList(pick(data, 'instances', 'items'), 'instanceId');
  return list.map((item) => {
    const lastSnapshot = toDate(pick(item, 'lastSnapshotAt', 'last_snapshot_at', 'lastSnapshot',
        'lastSnapshotUnixNanos', 'lastSnapshotMillis'));
    const lastHeartbeat = toDate(pick(item, 'lastHeartbeatAt', 'last_heartbeat_at',
        'lastHeartbeat', 'lastHeartbeatUnixNanos', 'lastHeartbeatMillis'));
    const seen = toDate(pick(item, 'lastSeenAt', 'last_seen_at', 'lastSeen'));
    const candidates = [seen, lastSnapshot, lastHeartbeat].filter(Boolean);
    return {
      id: String(pick(item, 'instanceId', 'instance_id', 'id', 'name') ?? '—'),
      liveness: upper(pick(item, 'liveness', 'status', 'state')) || 'UNKNOWN',
      lastSeen: candidates.length ? new Date(Math.max(...candidates.map((d) => d.getTime())))
                                  : undefined,
      lastSnapshot,
      lastHeartbeat,
      restarts: toNumber(pick(item, 'restarts', 'restartCount')),
      lost: toNumber(pick(item, 'lostSnapshots', 'lost_snapshots', 'lost')),
      sequence: toNumber(pick(item, 'sequence', 'lastSequence')),
      series: toNumber(pick(item, 'seriesCount', 'series_count', 'series')),
    };
  });
}

// Trend samples from api/metrics/series: {enabled, samples: [{at: Date, apis: Map(name ->
// kpis)}]}; enabled is false when the server says history is off.
export function trendSamples(data) {
  const enabled = pick(data, 'enabled', 'historyEnabled', 'history_enabled');
  const raw = Array.isArray(data) ? data : pick(data, 'samples', 'points', 'series', 'history');
  const samples = [];
  for (const sample of Array.isArray(raw) ? raw : []) {
    const at = toDate(pick(sample, 'at', 'time', 'timestamp', 't', 'takenAt', 'atUnixMillis',
        'timeMillis', 'unixMillis'));
    if (!at) continue;
    const apis = new Map();
    for (const item of apiEntries(sample)) {
      const name = pick(item, 'name', 'api');
      if (name !== undefined) apis.set(String(name), kpiFields(item));
    }
    samples.push({at, apis});
  }
  samples.sort((a, b) => a.at - b.at);
  return {enabled: enabled === undefined ? undefined : Boolean(enabled), samples};
}

// [{type, name, count}] from api/metrics/exceptions.
export function exceptionList(data) {
  const list = Array.isArray(data) ? data : toList(pick(data, 'exceptions', 'items'), 'type');
  return list.map((item) => ({
    name: pick(item, 'name', 'api'),
    type: pick(item, 'exceptionType', 'exception_type', 'type', 'exception'),
    count: toNumber(pick(item, 'count', 'total', 'value')),
  }));
}

// Flattens nested config objects into sorted [{key: 'a.b.c', value}] rows; a list of
// {key|name, value} objects is taken as rows already.
export function settingRows(data, prefix = '') {
  if (Array.isArray(data) && data.every((r) => r && typeof r === 'object' &&
      (r.key !== undefined || r.name !== undefined) && 'value' in r)) {
    return data.map((r) => ({key: String(r.key ?? r.name), value: r.value}))
        .sort((a, b) => a.key.localeCompare(b.key));
  }
  const rows = [];
  const walk = (value, key) => {
    if (value && typeof value === 'object' && !Array.isArray(value) &&
        Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k);
    } else {
      rows.push({key, value});
    }
  };
  if (data && typeof data === 'object') walk(data, prefix);
  return rows.sort((a, b) => a.key.localeCompare(b.key));
}

// Raw metric series (name, tags, gauge|counter|value) if the metrics answer carries them.
function rawSeries(metrics) {
  const list = pick(metrics, 'series', 'gauges', 'raw', 'rawSeries');
  return Array.isArray(list) ? list : [];
}

function tagMap(series) {
  const tags = pick(series, 'tags', 'labels');
  if (Array.isArray(tags)) {
    return Object.fromEntries(tags.map((t) => [t.key ?? t.name, t.value]));
  }
  return tags && typeof tags === 'object' ? tags : {};
}

function seriesValue(series) {
  return toNumber(pick(series, 'gauge', 'value', 'counter'));
}

const BREAKER_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN', 'DISABLED', 'FORCED_OPEN'];

// Redis endpoints per instance from the failover.redis.endpoint.* gauges:
// [{instance, endpoint, active, healthy, breaker}].
export function redisEndpoints(metrics) {
  const rows = new Map();
  const fields = {
    'failover.redis.endpoint.active': 'active',
    'failover.redis.endpoint.healthy': 'healthy',
    'failover.redis.endpoint.breaker.state': 'breaker',
  };
  for (const series of rawSeries(metrics)) {
    const field = fields[series.name];
    if (!field) continue;
    const tags = tagMap(series);
    const instance = tags.instance ?? tags.instance_id ?? '—';
    const key = `${instance}\u0000${tags.endpoint}`;
    const row = rows.get(key) || {instance, endpoint: tags.endpoint ?? '—'};
    const value = seriesValue(series);
    row[field] = field === 'breaker' ? (BREAKER_STATES[value] ?? value) : value;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) =>
    String(a.instance).localeCompare(String(b.instance)) ||
    String(a.endpoint).localeCompare(String(b.endpoint)));
}

// The naming failover switch per instance from failover.naming.switch:
// [{instance, namespace, on}].
export function namingSwitches(metrics) {
  return rawSeries(metrics).filter((s) => s.name === 'failover.naming.switch').map((s) => {
    const tags = tagMap(s);
    return {instance: tags.instance ?? tags.instance_id ?? '—', namespace: tags.namespace,
            on: seriesValue(s)};
  }).sort((a, b) => String(a.instance).localeCompare(String(b.instance)));
}

// Whether the metrics answer carries raw series at all (else the Redis page says so).
export function hasRawSeries(metrics) {
  return rawSeries(metrics).length > 0;
}
