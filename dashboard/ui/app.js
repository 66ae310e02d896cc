// failoverd's web UI: tabs, a refresh every 5 s (pausable), and an error banner naming what
// failed. Loaded as a module from index.html; no inline script or style anywhere (the server's
// Content-Security-Policy forbids both).
import {ENDPOINTS, fetchAll} from './api.js';
import {TrendCharts} from './charts.js';
import {el, fmtClock, pick, replaceChildren} from './dom.js';
import {apiList, overallStatus, trendSamples} from './model.js';
import {drawApiCards, drawApisTable, drawConfig, drawExceptions, drawFailoverHealth,
        drawInstances, drawOverallStatus, drawProperties, drawRedisAndNaming, drawServerHealth,
        drawServedSwitch, drawSummary} from './pages.js';

const REFRESH_MS = 5000;
const TABS = ['overview', 'apis', 'instances', 'health', 'config', 'redis'];

const $ = (id) => document.getElementById(id);

const state = {
  paused: false,
  timer: undefined,
  inFlight: false,
  sort: {key: 'health', descending: false},
  last: undefined,  // the last results drawn, redrawn when the sort changes
  shown: false,     // whether anything has been loaded and drawn
  charts: new TrendCharts($('charts'), $('charts-note')),
};

function showTab(name) {
  const tab = TABS.includes(name) ? name : 'overview';
  for (const button of document.querySelectorAll('[data-tab]')) {
    const selected = button.dataset.tab === tab;
    button.setAttribute('aria-selected', String(selected));
    button.classList.toggle('active', selected);
  }
  for (const other of TABS) $(`page-${other}`).classList.toggle('hidden', other !== tab);
}

function failureOf(result) {
  return result && !result.ok ? result.message : undefined;
}

// history.enabled from api/config, when the config answer says.
function historyEnabled(config) {
  const enabled = pick(pick(config, 'history'), 'enabled');
  return enabled === undefined ? undefined : Boolean(enabled);
}

function drawBanner(results) {
  const failed = Object.entries(results).filter(([, r]) => !r.ok);
  const banner = $('error-banner');
  // An endpoint left out of exposure.include is a setting, not an outage: it shows where its
  // data would be, and the banner stays for real failures.
  const serious = failed.filter(([, r]) => r.status !== 404);
  if (serious.length === 0) {
    banner.classList.add('hidden');
    replaceChildren(banner);
    return;
  }
  // One line per distinct problem, naming the endpoints it hit.
  const byMessage = new Map();
  for (const [name, r] of serious) {
    byMessage.set(r.message, [...(byMessage.get(r.message) || []), ENDPOINTS[name].label]);
  }
  const everything = serious.length === Object.keys(results).length;
  replaceChildren(banner,
      el('strong', {}, everything ? 'Could not load anything' : 'Could not load everything'),
      el('ul', {}, [...byMessage].map(([message, labels]) =>
          el('li', {}, everything && byMessage.size === 1 ? message
                                                          : `${labels.join(', ')}: ${message}`))),
      everything && state.shown ? el('p', {}, 'Showing the last figures loaded.') : null);
  banner.classList.remove('hidden');
}

function draw(results) {
  const {failoverHealth, metrics, series, exceptions, health, instances, config, settings,
         servedSwitch} = results;
  const apis = apiList(metrics.ok ? metrics.data : undefined,
                       failoverHealth.ok ? failoverHealth.data : undefined);
  const overall = failoverHealth.ok ? overallStatus(failoverHealth.data) :
      (metrics.ok ? overallStatus(metrics.data) : undefined);
  drawOverallStatus($('overall-status'), overall);
  const mode = pick(metrics.data, 'mode') ?? pick(instances.data, 'mode') ??
      pick(config.data, 'clusterMode');
  $('mode').textContent = mode ? `mode: ${mode}` : '';
  const metricsFailure = metrics.ok || apis.length > 0 ? undefined : failureOf(metrics);
  drawSummary($('summary'), apis, metrics.ok ? metrics.data : undefined);
  drawApiCards($('api-cards'), apis, metricsFailure);
  // api/metrics/series answers 404 when history is disabled (or not exposed).
  const history = config.ok ? historyEnabled(config.data) : undefined;
  state.charts.draw(trendSamples(series.ok ? series.data : undefined),
                    series.status === 404 && history !== true ? undefined : failureOf(series),
                    series.status === 404 ? false : history);
  drawApisTable($('apis-table'), apis, state.sort, (key) => {
    state.sort = {key, descending: state.sort.key === key ? !state.sort.descending : false};
    draw(state.last);
  });
  drawExceptions($('exceptions-table'), exceptions.data, failureOf(exceptions));
  drawInstances($('instances-table'), instances.data, failureOf(instances));
  drawFailoverHealth($('failover-health'), apis, overall, failureOf(failoverHealth));
  drawServerHealth($('server-health'), health.data, failureOf(health));
  drawProperties($('settings-table'), settings.data, failureOf(settings));
  drawConfig($('config-table'), config.data, failureOf(config));
  drawRedisAndNaming({redis: $('redis-table'), naming: $('naming-table'),
                      namingInstances: $('naming-instances-table')},
                     metrics.data, failureOf(metrics));
  drawServedSwitch($('served-switch'), servedSwitch);
}

async function refresh() {
  if (state.inFlight) return;
  state.inFlight = true;
  try {
    const results = await fetchAll();
    const allFailed = Object.values(results).every((r) => !r.ok);
    // When nothing could be loaded, the last picture stays (marked by the banner) rather than
    // being replaced by empty pages.
    if (!allFailed || !state.shown) {
      state.last = results;
      draw(results);
      state.shown = !allFailed;
    }
    drawBanner(results);
    $('last-updated').textContent = allFailed ? `update failed at ${fmtClock(new Date())}`
                                              : `updated ${fmtClock(new Date())}`;
    document.body.dataset.loaded = 'true';
  } finally {
    state.inFlight = false;
  }
}

function schedule() {
  clearInterval(state.timer);
  state.timer = state.paused ? undefined : setInterval(refresh, REFRESH_MS);
}

function togglePause() {
  state.paused = !state.paused;
  const button = $('pause');
  button.textContent = state.paused ? 'Resume' : 'Pause';
  button.setAttribute('aria-pressed', String(state.paused));
  schedule();
  if (!state.paused) refresh();
}

function start() {
  for (const button of document.querySelectorAll('[data-tab]')) {
    button.addEventListener('click', () => {
      history.replaceState(null, '', `#${button.dataset.tab}`);
      showTab(button.dataset.tab);
    });
  }
  window.addEventListener('hashchange', () => showTab(location.hash.slice(1)));
  $('pause').addEventListener('click', togglePause);
  $('refresh-now').addEventListener('click', refresh);
  showTab(location.hash.slice(1));
  refresh();
  schedule();
}

start();
