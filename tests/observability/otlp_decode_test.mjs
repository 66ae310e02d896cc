// Our OTLP/HTTP export read by a decoder we did not write: the OpenTelemetry JavaScript SDK's
// generated protobuf code (npm @opentelemetry/otlp-transformer 0.57.2,
// build/src/generated/root.js). Run by otlp_decode_test.sh, which sets OTLP_EXPORT_APP (the
// application binary) and FAILOVER_REPO (the tree holding node_modules/).
//
// An in-test HTTP server plays the collector: it answers the first export 503 and later ones 200
// with an ExportMetricsServiceResponse. otlp_export_app records a fixed set of meters, flushes
// one export and shuts down (a final export). The checks: the retry resent the same body; method,
// path, content type and the configured headers; the resource (service.name,
// service.instance.id), the scope, and every metric's type, temporality, attributes and values.
// Exits 1 listing every difference.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import {createRequire} from 'node:module';
import path from 'node:path';

const repo = process.env.FAILOVER_REPO;
const appBinary = process.env.OTLP_EXPORT_APP;
const tmp = fs.mkdtempSync(path.join(process.env.TEST_TMPDIR || '/tmp', 'otlp-decode-'));
const require = createRequire(path.join(repo, 'package.json'));
const otlp =
    require('@opentelemetry/otlp-transformer/build/src/generated/root.js').opentelemetry.proto;
const {ExportMetricsServiceRequest, ExportMetricsServiceResponse} = otlp.collector.metrics.v1;
const {AggregationTemporality} = otlp.metrics.v1;

const APP_TIMEOUT_MS = 45000;  // under the sh_test's 60 s (size small)
const HEADERS = {authorization: 'Bearer test-token', 'x-tenant': 'acme'};
const INSTANCE_ID = 'orders-1';
// What otlp_export_app records (its file comment): failover.operation.duration, in seconds.
const DURATIONS = [0.003, 0.020, 2];

const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
  return condition;
}

// Receives exports; the first is refused with 503 so the exporter has to retry.
function startReceiver() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({method: req.method, url: req.url, headers: req.headers,
                     body: Buffer.concat(chunks)});
      if (requests.length === 1) {
        res.writeHead(503, {'Content-Type': 'text/plain', 'Retry-After': '0'});
        res.end('collector warming up');
        return;
      }
      const response = ExportMetricsServiceResponse.encode(
          {partialSuccess: {rejectedDataPoints: 0, errorMessage: ''}}).finish();
      res.writeHead(200, {'Content-Type': 'application/x-protobuf'});
      res.end(Buffer.from(response));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({server, requests, port: server.address().port}));
  });
}

function writeConfig(port) {
  const file = path.join(tmp, 'application.yml');
  fs.writeFileSync(file, `failover:
  observable:
    instance:
      id: ${INSTANCE_ID}
    otlp:
      enabled: true
      endpoint: http://127.0.0.1:${port}/v1/metrics
      headers:
        - "Authorization=Bearer test-token"
        - "X-Tenant=acme"
      service-name: orders
      interval: 1h
      retry:
        initial-backoff: 50ms
`);
  return file;
}

// Runs the app with no FAILOVER_* variables of ours leaking in as config overrides.
function runApp(config) {
  const env = {PATH: '/usr/bin:/bin'};
  for (const name of ['TEST_TMPDIR', 'ASAN_OPTIONS', 'TSAN_OPTIONS', 'UBSAN_OPTIONS']) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return new Promise((resolve) => {
    const child = spawn(appBinary, ['--config', config], {env, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, APP_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({code, signal, timedOut, stdout, stderr});
    });
  });
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

function intValueOf(what, point) {
  if (point.value === 'asInt') return Number(point.asInt);
  check(point.value === 'asDouble', `${what}: point has no value (oneof is ${point.value})`);
  return point.asDouble;
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

function checkRequestShape(req, index) {
  const what = `request ${index + 1}`;
  check(req.method === 'POST', `${what}: method ${req.method}, expected POST`);
  check(req.url === '/v1/metrics', `${what}: path ${req.url}, expected /v1/metrics`);
  check(req.headers['content-type'] === 'application/x-protobuf',
        `${what}: content-type ${req.headers['content-type']}, expected application/x-protobuf`);
  for (const [name, value] of Object.entries(HEADERS)) {
    check(req.headers[name] === value,
          `${what}: header ${name} is ${JSON.stringify(req.headers[name])}, expected "${value}"`);
  }
}

// The metrics of the failover-toolkit scope, by name, after checking the resource and scope.
function decodeExport(body, what) {
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

async function main() {
  if (!repo || !appBinary) throw new Error('set FAILOVER_REPO and OTLP_EXPORT_APP (see otlp_decode_test.sh)');
  const {server, requests, port} = await startReceiver();
  const started = Date.now();
  const run = await runApp(writeConfig(port));
  server.close();
  console.log(`otlp_export_app exited ${run.code ?? run.signal} after ${Date.now() - started} ms, ` +
              `${requests.length} requests; stdout: ${run.stdout.trim()}`);
  const ending = run.timedOut ? `was killed after ${APP_TIMEOUT_MS} ms` :
                                `exited ${run.code ?? run.signal}`;
  if (!check(run.code === 0, `otlp_export_app ${ending}, expected exit 0; stderr:\n${run.stderr}`)) {
    return;
  }
  let stats = {};
  try {
    stats = JSON.parse(run.stdout.trim());
  } catch (e) {
    check(false, `otlp_export_app printed no JSON stats line: ${JSON.stringify(run.stdout)}`);
  }
  check(stats.exported >= 1, `exporter stats: exported ${stats.exported}, expected >= 1`);
  check(stats.failed_attempts >= 1,
        `exporter stats: failed_attempts ${stats.failed_attempts}, expected >= 1 (the 503)`);

  if (!check(requests.length >= 2, `${requests.length} requests received, expected >= 2 ` +
             '(a 503, then its retry)')) {
    return;
  }
  requests.forEach(checkRequestShape);
  check(requests[0].body.equals(requests[1].body),
        `the retry's body (${requests[1].body.length} bytes) differs from the refused one ` +
        `(${requests[0].body.length} bytes)`);

  const nowNs = BigInt(Date.now()) * 1000000n;
  const metrics = decodeExport(requests[1].body, 'request 2');
  checkCounter(metrics, nowNs);
  checkGauge(metrics, nowNs);
  checkHistogram(metrics, nowNs);
  // Later exports (the one Shutdown sends) carry the same cumulative values.
  for (let i = 2; i < requests.length; ++i) {
    checkCounter(decodeExport(requests[i].body, `request ${i + 1}`), nowNs);
  }
}

main().then(() => {
  fs.rmSync(tmp, {recursive: true, force: true});
  if (failures.length > 0) {
    console.error(`FAILED (${failures.length}):\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log('PASSED: the OpenTelemetry decoder read every expected metric');
}, (e) => {
  console.error(`FAILED: ${e.stack}`);
  process.exit(1);
});
