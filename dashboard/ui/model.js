// Turns the API's JSON into the few shapes the pages draw. Written defensively: fields may be
// camelCase or snake_case, lists may be arrays or objects keyed by name, and anything missing
// stays undefined (drawn as "—").
import {pick, toDate, toList, toNumber} from './dom.js';

// IDLE: an API with no traffic yet (the server never counts it as UNHEALTHY).
const HEALTH_ORDER = {UNHEALTHY: 0, DEGRADED: 1, UNKNOWN: 2, HEALTHY: 3, IDLE: 4};

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
    const calls = pick(item, 'calls');
    byName.set(String(name), {
      name: String(name),
      domain: pick(item, 'domain') || undefined,
      health: healthWord(item),
      ...kpiFields(item),
      successCalls: toNumber(pick(calls, 'success')),
      failoverCalls: toNumber(pick(calls, 'failover')),
      upstreamP99: toNumber(pick(pick(item, 'upstreamLatency', 'upstream_latency'), 'p99')),
    });
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
// kpis), healthy (the fleet's), live (instances)}]}; enabled is false when the server says
// history is off.
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
    samples.push({at, apis, healthy: toNumber(pick(sample, 'healthyRate', 'healthy_rate')),
                  live: toNumber(pick(sample, 'liveInstances', 'live_instances'))});
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

// Every property of api/config/settings ({properties: [{path, value, default, type, secret}]}):
// [{key, value, defaultValue, type, secret}] in the server's order.
export function propertyRows(data) {
  const list = Array.isArray(data) ? data : pick(data, 'properties', 'settings');
  return (Array.isArray(list) ? list : []).map((row) => ({
    key: String(pick(row, 'path', 'key', 'name') ?? ''),
    value: pick(row, 'value'),
    defaultValue: pick(row, 'default', 'defaultValue'),
    type: pick(row, 'type'),
    secret: Boolean(pick(row, 'secret')),
  }));
}

// Flattens nested objects (api/config) into sorted [{key: 'a.b.c', value}] rows.
export function settingRows(data, prefix = '') {
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

// Redis endpoints per instance from api/metrics' redis.endpoints:
// [{instance, endpoint, active, healthy, breaker}] (active/healthy booleans or undefined).
export function redisEndpoints(metrics) {
  const list = pick(pick(metrics, 'redis'), 'endpoints');
  return (Array.isArray(list) ? list : []).map((row) => ({
    instance: pick(row, 'instance') || undefined,
    endpoint: pick(row, 'endpoint'),
    active: pick(row, 'active'),
    healthy: pick(row, 'healthy'),
    breaker: pick(row, 'breakerState', 'breaker_state', 'breaker'),
  }));
}

// The naming failover switch per instance from api/metrics' naming.switches:
// [{instance, namespace, on}]; and the failover instances per service
// [{instance, namespace, service, instances}].
export function namingSwitches(metrics) {
  const list = pick(pick(metrics, 'naming'), 'switches');
  return (Array.isArray(list) ? list : []).map((row) => ({
    instance: pick(row, 'instance') || undefined,
    namespace: pick(row, 'namespace') || undefined,
    on: pick(row, 'on'),
  }));
}

export function namingFailoverInstances(metrics) {
  const list = pick(pick(metrics, 'naming'), 'failoverInstances', 'failover_instances');
  return (Array.isArray(list) ? list : []).map((row) => ({
    instance: pick(row, 'instance') || undefined,
    namespace: pick(row, 'namespace') || undefined,
    service: pick(row, 'service'),
    instances: toNumber(pick(row, 'instances', 'count')),
  }));
}

// {live, down, unknown, total} from an "instances" count object (api/metrics, api/health).
export function instanceCounts(data) {
  const counts = pick(data, 'instances');
  if (!counts || typeof counts !== 'object' || Array.isArray(counts)) return undefined;
  return {
    live: toNumber(pick(counts, 'live')),
    down: toNumber(pick(counts, 'down')),
    unknown: toNumber(pick(counts, 'unknown')),
    total: toNumber(pick(counts, 'total')),
  };
}
