// What otlp_export_app's export must say, checked on the OpenTelemetry JavaScript SDK's own
// decoding of it (npm @opentelemetry/otlp-transformer 0.57.2, build/src/generated/root.js): the
// resource (service.name orders, service.instance.id orders-1), the failover-toolkit scope, and
// every metric's type, temporality, attributes, values and times. Shared by otlp_decode_test.mjs
// (OTLP/HTTP) and otlp_decode_files.mjs (bodies a test collector saved, e.g. OTLP/gRPC).
//
//   import * as exportChecks from './otlp_export_checks.mjs';
//   exportChecks.loadDecoder(repo);  // the tree holding node_modules/
//   exportChecks.checkExports([{what: 'request 2', body}, ...]);
//   exportChecks.finish();           // exits 1 listing every failed check
import {createRequire} from 'node:module';
import path from 'node:path';

export const INSTANCE_ID = 'orders-1';
// What otlp_export_app records (its file comment): failover.operation.duration, in seconds.
const DURATIONS = [0.003, 0.020, 2];

let otlp;
let AggregationTemporality;

// Every failed check's message, in order.
export const failures = [];
export function check(condition, message) {
  if (!condition) failures.push(message);
  return condition;
}

// Loads OpenTelemetry's generated decoder from `repo`/node_modules; returns its
// opentelemetry.proto namespace.
export function loadDecoder(repo) {
  const require = createRequire(path.join(repo, 'package.json'));
  otlp = require('@opentelemetry/otlp-transformer/build/src/generated/root.js').opentelemetry.proto;
  AggregationTemporality = otlp.metrics.v1.AggregationTemporality;
  return otlp;
}

// fixed64 / sfixed64 fields decode as Long objects (or numbers): as a BigInt, exactly.
function big(value) {
  return BigInt(value.toString());
}

function attributesOf(item) {
  const out = {};
  for (const kv of item.attributes || []) {
    out[kv.key] = kv.value && kv.value.value ? kv.value[kv.value.value] : undefined;
  }
  return out;
}

function sameAttributes(actual, expected) {
  const a = Object.keys(actual).sort();
  const e = Object.keys(expected).sort();
  return a.length === e.length && a.every((k, i) => k === e[i] && actual[k] === expected[k]);
}

function checkTimes(what, point, nowNs) {
  const start = big(point.startTimeUnixNano);
  const time = big(point.timeUnixNano);
  check(start > 0n, `${what}: startTimeUnixNano is 0`);
  check(start <= time, `${what}: startTimeUnixNano ${start} is after timeUnixNano ${time}`);
  const skewNs = time > nowNs ? time - nowNs : nowNs - time;
  check(skewNs <= 60n * 1000000000n,
        `${what}: timeUnixNano ${time} is ${Number(skewNs) / 1e9} s away from now`);
}

// The point whose attributes are exactly `expected`, or a recorded failure.
function pointWith(what, points, expected) {
  const found = points.filter((p) => sameAttributes(attributesOf(p), expected));
  const seen = points.map((p) => JSON.stringify(attributesOf(p))).join(', ');
  check(found.length === 1, `${what}: expected one point with attributes ` +
        `${JSON.stringify(expected)}, found ${found.length} among [${seen}]`);
  return found[0];
}

// Counters are whole numbers and must arrive as as_int (sfixed64), not as_double.
function intValueOf(what, point) {
  if (!check(point.value === 'asInt', `${what}: expected an asInt value, got ${point.value}`)) {
    return NaN;
  }
  return Number(point.asInt);
}

function checkCounter(metrics, nowNs) {
  const metric = metrics.get('failover.call.total');
  if (!check(metric !== undefined, 'metric failover.call.total is missing')) return;
  if (!check(metric.data === 'sum',
             `failover.call.total: expected a Sum, got ${metric.data}`)) return;
  check(metric.sum.isMonotonic === true, 'failover.call.total: isMonotonic is not true');
  check(metric.sum.aggregationTemporality === AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
        `failover.call.total: aggregationTemporality ${metric.sum.aggregationTemporality}, ` +
        'expected 2 (CUMULATIVE)');
  check(metric.sum.dataPoints.length === 2,
        `failover.call.total: expected 2 points, got ${metric.sum.dataPoints.length}`);
  for (const [result, expected] of [['success', 7], ['failure', 2]]) {
    const what = `failover.call.total{result=${result}}`;
    const point = pointWith(what, metric.sum.dataPoints,
                            {name: 'quotes', result, instance: INSTANCE_ID});
    if (point === undefined) continue;
    const value = intValueOf(what, point);
    check(value === expected, `${what}: value ${value}, expected ${expected}`);
    checkTimes(what, point, nowNs);
  }
}

function checkGauge(metrics, nowNs) {
  const metric = metrics.get('failover.api.health');
  if (!check(metric !== undefined, 'metric failover.api.health is missing')) return;
  if (!check(metric.data === 'gauge',
             `failover.api.health: expected a Gauge, got ${metric.data}`)) return;
  const what = 'failover.api.health{name=quotes}';
  const point =
      pointWith(what, metric.gauge.dataPoints, {name: 'quotes', instance: INSTANCE_ID});
  if (point === undefined) return;
  check(point.value === 'asDouble' && point.asDouble === 0.75,
        `${what}: expected asDouble 0.75, got ${point.value} ${point[point.value]}`);
  checkTimes(what, point, nowNs);
}

// Per-bucket counts OTLP expects for DURATIONS: bucket i holds (bounds[i-1], bounds[i]].
function expectedBuckets(bounds) {
  const counts = new Array(bounds.length + 1).fill(0);
  for (const v of DURATIONS) {
    const i = bounds.findIndex((b) => v <= b);
    counts[i === -1 ? bounds.length : i] += 1;
  }
  return counts;
}

function checkHistogram(metrics, nowNs) {
  const metric = metrics.get('failover.operation.duration');
  if (!check(metric !== undefined, 'metric failover.operation.duration is missing')) return;
  check(metric.unit === 's', `failover.operation.duration: unit "${metric.unit}", expected "s"`);
  if (!check(metric.data === 'histogram',
             `failover.operation.duration: expected a Histogram, got ${metric.data}`)) return;
  check(metric.histogram.aggregationTemporality ===
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
        `failover.operation.duration: aggregationTemporality ` +
            `${metric.histogram.aggregationTemporality}, expected 2 (CUMULATIVE)`);
  const what = 'failover.operation.duration{name=quotes,action=store}';
  const point = pointWith(what, metric.histogram.dataPoints,
                          {name: 'quotes', action: 'store', instance: INSTANCE_ID});
  if (point === undefined) return;
  check(Number(point.count) === 3, `${what}: count ${point.count}, expected 3`);
  check(Math.abs(point.sum - 2.023) < 1e-9, `${what}: sum ${point.sum}, expected 2.023`);
  check(point.max === 2, `${what}: max ${point.max}, expected 2`);
  const counts = point.bucketCounts.map(Number);
  const bounds = point.explicitBounds;
  check(bounds.length + 1 === counts.length, `${what}: ${bounds.length} explicitBounds but ` +
        `${counts.length} bucketCounts (expected one more count than bounds)`);
  check(bounds.every((b, i) => i === 0 || bounds[i - 1] < b),
        `${what}: explicitBounds not increasing: ${bounds}`);
  check(counts.reduce((a, b) => a + b, 0) === 3,
        `${what}: bucketCounts [${counts}] do not sum to 3`);
  const expected = expectedBuckets(bounds);
  check(expected.every((c, i) => c === counts[i]),
        `${what}: bucketCounts [${counts}], expected [${expected}] for bounds [${bounds}]`);
  checkTimes(what, point, nowNs);
}

// The metrics of the failover-toolkit scope, by name, after checking the resource and scope.
function decodeExport(body, what) {
  const {ExportMetricsServiceRequest} = otlp.collector.metrics.v1;
  let request;
  try {
    request = ExportMetricsServiceRequest.decode(body);
  } catch (e) {
    check(false, `${what}: body does not decode as ExportMetricsServiceRequest: ${e.message}`);
    return new Map();
  }
  if (!check(request.resourceMetrics.length === 1,
             `${what}: ${request.resourceMetrics.length} resourceMetrics, expected 1`)) {
    return new Map();
  }
  const resourceMetrics = request.resourceMetrics[0];
  const resource = attributesOf(resourceMetrics.resource || {});
  check(resource['service.name'] === 'orders',
        `${what}: resource service.name ${JSON.stringify(resource['service.name'])}, ` +
        'expected "orders"');
  check(resource['service.instance.id'] === INSTANCE_ID,
        `${what}: resource service.instance.id ${JSON.stringify(resource['service.instance.id'])}` +
        `, expected "${INSTANCE_ID}"`);
  const scopes = resourceMetrics.scopeMetrics.filter(
      (s) => s.scope && s.scope.name === 'failover-toolkit');
  const names = resourceMetrics.scopeMetrics.map((s) => s.scope && s.scope.name);
  if (!check(scopes.length === 1,
             `${what}: expected one scope "failover-toolkit", scopes are ${JSON.stringify(names)}`)) {
    return new Map();
  }
  const metrics = new Map();
  for (const metric of scopes[0].metrics) {
    check(!metrics.has(metric.name), `${what}: metric ${metric.name} appears twice`);
    metrics.set(metric.name, metric);
  }
  return metrics;
}


// Checks exports of otlp_export_app, [{what, body}] in arrival order: the first fully, later
// ones (e.g. the one Shutdown sends) for the same cumulative counter values.
export function checkExports(exports) {
  const nowNs = BigInt(Date.now()) * 1000000n;
  exports.forEach(({what, body}, i) => {
    const metrics = decodeExport(body, what);
    checkCounter(metrics, nowNs);
    if (i > 0) return;
    checkGauge(metrics, nowNs);
    checkHistogram(metrics, nowNs);
  });
}

// Prints the verdict; exits 1 when a check failed.
export function finish(passed) {
  if (failures.length > 0) {
    console.error(`FAILED (${failures.length}):\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log(passed);
}
