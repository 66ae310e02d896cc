// Our OTLP/HTTP export read by a decoder we did not write: the OpenTelemetry JavaScript SDK's
// generated protobuf code (npm @opentelemetry/otlp-transformer 0.57.2,
// build/src/generated/root.js). Run by otlp_decode_test.sh, which sets OTLP_EXPORT_APP (the
// application binary) and FAILOVER_REPO (the tree holding node_modules/).
//
// An in-test HTTP server plays the collector: it answers the first export 503 and later ones 200
// with an ExportMetricsServiceResponse. otlp_export_app records a fixed set of meters, flushes
// one export and shuts down (a final export). The checks: the retry resent the same body; method,
// path, content type and the configured headers; then otlp_export_checks.mjs's checks of the
// decoded export (resource, scope, every metric). Exits 1 listing every difference.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import {check, checkExports, finish, INSTANCE_ID, loadDecoder} from './otlp_export_checks.mjs';

const repo = process.env.FAILOVER_REPO;
const appBinary = process.env.OTLP_EXPORT_APP;
const tmp = fs.mkdtempSync(path.join(process.env.TEST_TMPDIR || '/tmp', 'otlp-decode-'));
const {ExportMetricsServiceResponse} = loadDecoder(repo).collector.metrics.v1;

const APP_TIMEOUT_MS = 45000;  // under the sh_test's 60 s (size small)
const HEADERS = {authorization: 'Bearer test-token', 'x-tenant': 'acme'};

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

  // The accepted retry in full; later exports (the one Shutdown sends) for the same values.
  checkExports(requests.slice(1).map((req, i) => ({what: `request ${i + 2}`, body: req.body})));
}

main().then(() => {
  fs.rmSync(tmp, {recursive: true, force: true});
  finish('PASSED: the OpenTelemetry decoder read every expected metric');
}, (e) => {
  console.error(`FAILED: ${e.stack}`);
  process.exit(1);
});
