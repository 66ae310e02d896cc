// The web UI end to end: a real failoverd (shared-store mode, in-memory) fed two instances'
// snapshots and heartbeats over HTTP, then the page in headless Chromium (the system's
// /usr/bin/chromium driven by the npm package playwright-core). Run by ui_test.sh, which sets
// FAILOVERD (the binary) and FAILOVER_REPO (the tree holding node_modules/).
//
// Checks: overall status DOWN, an UNHEALTHY "inventory" card before the HEALTHY "quotes" one,
// both instances LIVE, the Config and Health tabs, trend charts drawn by the served chart.js, no
// console error and no CSP violation; then that the page still works (tables, a note) when
// chart.js cannot load, that Pause stops the refresh, and that the page says so in words when
// failoverd goes away. Screenshots go
// to $TEST_UNDECLARED_OUTPUTS_DIR (bazel-testlogs/tests/dashboard/ui_test/test.outputs/).
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {after, before, test} from 'node:test';

const repo = process.env.FAILOVER_REPO;
const failoverdBinary = process.env.FAILOVERD;
const tmp = fs.mkdtempSync(path.join(process.env.TEST_TMPDIR || '/tmp', 'ui-test-'));
const outputs = process.env.TEST_UNDECLARED_OUTPUTS_DIR || tmp;
const require = createRequire(path.join(repo, 'package.json'));
const {chromium} = require('playwright-core');

const BASE_PATH = '/failover-dashboard';
const ADMIN = {username: 'admin', password: 'ui-test-password'};
const NAMES = ['config', 'failover-health', 'metrics', 'health', 'cluster', 'instances', 'naming',
               'payloads'];

// pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>, as failoverctl dashboard
// hash-password writes it (100000 iterations: the minimum failoverd accepts, cheap in tests).
function hashPassword(password, iterations = 100000) {
  const salt = crypto.randomBytes(16);
  const hash = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return `pbkdf2-sha256$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function writeConfig() {
  const file = path.join(tmp, 'failoverd.yml');
  fs.writeFileSync(file, `failover:
  dashboard:
    enabled: true
    base-path: ${BASE_PATH}
    listen: 127.0.0.1:0
    grpc-listen: 127.0.0.1:0
    exposure:
      include: [${NAMES.join(', ')}]
    history:
      enabled: true
      samples: 100
      sample-interval-seconds: 1
    security:
      users:
        - username: ${ADMIN.username}
          password-hash: "${hashPassword(ADMIN.password)}"
          roles: [FAILOVER_ADMIN]
    cluster:
      mode: shared-store
      shared-store:
        store: inmemory
        liveness-seconds: 120
        sample-interval-seconds: 1
`);
  return file;
}

// Starts failoverd and resolves with {process, base} once it prints its HTTP port.
function startFailoverd(config) {
  const child = spawn(failoverdBinary,
      ['--config', config, '--vendor-dir', path.join(repo, 'node_modules/chart.js/dist')],
      {stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`failoverd did not start:\n${output}`)),
                             30000);
    const onData = (chunk) => {
      output += chunk;
      process.stderr.write(`[failoverd] ${chunk}`);
      const match = /failoverd: http listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match && /failoverd: grpc listening on/.test(output)) {
        clearTimeout(timer);
        resolve({process: child, base: `http://127.0.0.1:${match[1]}${BASE_PATH}/`});
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => process.stderr.write(`[failoverd] ${chunk}`));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`failoverd exited with ${code}:\n${output}`));
    });
  });
}

const authorization =
    `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

async function post(base, route, body) {
  const response = await fetch(new URL(route, base), {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Authorization: authorization},
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, 202, `POST ${route}: ${response.status} ${text}`);
}

function counter(name, tags, value) {
  return {name, tags: Object.entries(tags).sort().map(([key, v]) => ({key, value: v})),
          counter: value};
}

function gauge(name, tags, value) {
  return {name, tags: Object.entries(tags).sort().map(([key, v]) => ({key, value: v})),
          gauge: value};
}

const nanos = (ms) => `${BigInt(ms) * 1000000n}`;

// orders-1 makes inventory UNHEALTHY (healthy rate 70/100); orders-2 keeps quotes HEALTHY.
async function pushFleet(base) {
  const started = Date.now() - 60000;
  const snapshots = [
    {instanceId: 'orders-1', series: [
      counter('failover.store.total', {name: 'inventory', stored: 'true'}, 70),
      counter('failover.recovery.outcome.total',
              {name: 'inventory', domain: 'stock', outcome: 'not_recovered'}, 30),
      gauge('failover.redis.endpoint.active', {endpoint: 'east'}, 1),
      gauge('failover.redis.endpoint.healthy', {endpoint: 'east'}, 1),
      gauge('failover.redis.endpoint.breaker.state', {endpoint: 'east'}, 0),
      gauge('failover.naming.switch', {namespace: 'public'}, 0),
    ]},
    {instanceId: 'orders-2', series: [
      counter('failover.store.total', {name: 'quotes', stored: 'true'}, 1000),
      counter('failover.recovery.outcome.total',
              {name: 'quotes', domain: 'pricing', outcome: 'recovered'}, 5),
    ]},
  ];
  for (const snapshot of snapshots) {
    await post(base, 'api/cluster/snapshot', {
      ...snapshot, takenAtUnixNanos: nanos(Date.now()), processStartUnixNanos: nanos(started),
      sequence: '1'});
    await post(base, 'api/cluster/heartbeat', {
      instanceId: snapshot.instanceId, sentAtUnixNanos: nanos(Date.now()),
      processStartUnixNanos: nanos(started)});
  }
}

let failoverd;
let context;

before(async () => {
  failoverd = await startFailoverd(writeConfig());
  await pushFleet(failoverd.base);
  const flipped = await fetch(new URL('api/naming/switch?namespace=public', failoverd.base), {
    method: 'PUT',
    headers: {'Content-Type': 'application/json', Authorization: authorization},
    body: JSON.stringify({enabled: true, reason: 'registry maintenance'}),
  });
  assert.equal(flipped.status, 200, `PUT api/naming/switch: ${await flipped.text()}`);
  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
    env: {...process.env, HOME: tmp, XDG_CONFIG_HOME: tmp, XDG_CACHE_HOME: tmp},
    httpCredentials: ADMIN,
    viewport: {width: 1400, height: 1000},
  });
});

after(async () => {
  await context?.close();
  if (failoverd && failoverd.process.exitCode === null) failoverd.process.kill('SIGTERM');
});

// A page that records console errors, uncaught exceptions and CSP violations.
async function openPage(url, {blockCharts = false} = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  if (blockCharts) await page.route('**/vendor/chart.umd.js', (route) => route.abort());
  await page.goto(url);
  await page.waitForSelector('body[data-loaded="true"]');
  return {page, problems};
}

const testid = (id) => `[data-testid="${id}"]`;

test('the server answers without credentials 401 and sends its CSP with the page', async () => {
  const anonymous = await fetch(failoverd.base);
  assert.equal(anonymous.status, 401);
  const page = await fetch(failoverd.base, {headers: {Authorization: authorization}});
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') || '', /script-src 'self'/);
  assert.match(await page.text(), /src="ui\/app\.js"/);
});

test('the dashboard shows the fleet: DOWN, inventory UNHEALTHY first, both instances LIVE',
     async () => {
  const {page, problems} = await openPage(failoverd.base);

  await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === 'DOWN', testid('overall-status'));
  const inventory = page.locator(testid('api-card-inventory'));
  assert.equal(await inventory.getAttribute('data-health'), 'UNHEALTHY');
  assert.equal(await page.locator(testid('api-health-inventory')).textContent(), 'UNHEALTHY');
  assert.equal(await page.locator(testid('api-healthy-inventory')).textContent(), '70.0 %');
  assert.equal(await page.locator(testid('api-card-quotes')).getAttribute('data-health'),
               'HEALTHY');
  const cards = await page.locator('[data-testid^="api-card-"]').evaluateAll(
      (nodes) => nodes.map((n) => n.dataset.testid));
  assert.deepEqual(cards, ['api-card-inventory', 'api-card-quotes']);

  // Trend charts: history samples every second and chart.js comes from --vendor-dir.
  await page.waitForSelector(testid('chart-healthy'), {timeout: 20000});
  assert.equal(await page.evaluate(() => typeof window.Chart), 'function');
  await page.screenshot({path: path.join(outputs, 'overview.png'), fullPage: true});

  await page.click(testid('tab-apis'));
  await page.waitForSelector(testid('api-row-quotes'));
  assert.match(await page.locator(testid('api-row-inventory')).textContent(), /UNHEALTHY/);
  const rowOrder = () => page.locator('[data-testid^="api-row-"]').evaluateAll(
      (rows) => rows.map((r) => r.dataset.testid));
  assert.deepEqual(await rowOrder(), ['api-row-inventory', 'api-row-quotes']);
  await page.click(`${testid('apis-table')} th[data-column="stored"]`);  // ascending
  await page.click(`${testid('apis-table')} th[data-column="stored"]`);  // descending
  assert.deepEqual(await rowOrder(), ['api-row-quotes', 'api-row-inventory']);

  await page.click(testid('tab-instances'));
  for (const id of ['orders-1', 'orders-2']) {
    const row = page.locator(testid(`instance-row-${id}`));
    assert.equal(await row.getAttribute('data-liveness'), 'LIVE', `instance ${id}`);
    assert.equal(await page.locator(testid(`instance-status-${id}`)).textContent(), 'LIVE');
  }
  await page.screenshot({path: path.join(outputs, 'instances.png'), fullPage: true});

  await page.click(testid('tab-health'));
  assert.equal(await page.locator(testid('failover-health-overall')).textContent(), 'DOWN');
  assert.match(await page.locator(testid('health-inventory')).textContent(), /UNHEALTHY/);
  assert.equal(await page.locator(testid('server-health-overall')).textContent(), 'UP');
  await page.screenshot({path: path.join(outputs, 'health.png'), fullPage: true});

  await page.click(testid('tab-config'));
  await page.waitForSelector(`${testid('page-config')}:not(.hidden)`);
  assert.ok(await page.locator(`${testid('config-table')} tbody tr`).count() > 1);
  assert.ok(await page.locator(`${testid('settings-table')} tbody tr`).count() > 1);
  assert.match(await page.locator(testid('settings-table')).textContent(),
               /failover\.dashboard\.cluster\.mode/);
  await page.screenshot({path: path.join(outputs, 'config.png'), fullPage: true});

  await page.click(testid('tab-redis'));
  await page.waitForSelector(`${testid('page-redis')}:not(.hidden)`);
  const redis = await page.locator(testid('redis-row-orders-1-east')).textContent();
  assert.match(redis, /YES.*YES.*CLOSED/);
  assert.match(await page.locator(testid('naming-row-orders-1-public')).textContent(), /OFF/);
  const served = await page.locator(testid('served-switch')).textContent();
  assert.match(served, /ON/);
  assert.match(served, /registry maintenance/);
  await page.screenshot({path: path.join(outputs, 'redis-naming.png'), fullPage: true});

  assert.equal(await page.locator(testid('error-banner')).isHidden(), true);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without chart.js the tables still work and the page says charts are unavailable',
     async () => {
  const {page} = await openPage(failoverd.base, {blockCharts: true});
  await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === 'DOWN', testid('overall-status'));
  await page.waitForSelector(`${testid('charts-note')}:not(.hidden)`);
  assert.match(await page.locator(testid('charts-note')).textContent(), /[Cc]harts are unavailable/);
  assert.equal(await page.locator(testid('api-card-inventory')).getAttribute('data-health'),
               'UNHEALTHY');
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  await page.close();
});

test('Pause stops the 5 s refresh and Resume refreshes at once', async () => {
  const {page} = await openPage(failoverd.base);
  const updated = () => page.locator(testid('last-updated')).textContent();
  await page.click(testid('pause'));
  assert.equal(await page.locator(testid('pause')).getAttribute('aria-pressed'), 'true');
  const before = await updated();
  await page.waitForTimeout(6500);  // longer than one refresh period
  assert.equal(await updated(), before);
  await page.click(testid('pause'));
  await page.waitForFunction(([sel, text]) => document.querySelector(sel).textContent !== text,
                             [testid('last-updated'), before]);
  await page.close();
});

test('when failoverd stops, the banner says it cannot be reached', async () => {
  const {page, problems} = await openPage(failoverd.base);
  await page.waitForSelector(testid('api-card-inventory'));
  const exited = new Promise((resolve) => failoverd.process.on('exit', resolve));
  failoverd.process.kill('SIGTERM');
  assert.equal(await exited, 0);
  await page.click(testid('refresh-now'));
  // A refresh that was already in flight when failoverd stopped may end half loaded (and the
  // click is ignored while it runs); the next one finds nothing.
  await page.waitForFunction((sel) => /update failed/.test(document.querySelector(sel).textContent),
                             testid('last-updated'), {timeout: 15000});
  await page.waitForSelector(`${testid('error-banner')}:not(.hidden)`);
  assert.match(await page.locator(testid('error-banner')).textContent(), /cannot be reached/);
  // The last figures stay on screen, said to be the last ones.
  assert.match(await page.locator(testid('error-banner')).textContent(), /last figures/);
  assert.equal(await page.locator(testid('api-card-inventory')).getAttribute('data-health'),
               'UNHEALTHY');
  await page.screenshot({path: path.join(outputs, 'server-gone.png'), fullPage: true});
  assert.deepEqual(problems.filter((p) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(p)),
                   []);
  await page.close();
});
