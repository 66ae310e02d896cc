// KPI trend charts from api/metrics/series, drawn with Chart.js when it loaded (window.Chart,
// from vendor/chart.umd.js). Without it, or with history disabled, a note says why and the
// tables carry on.
import {el, replaceChildren} from './dom.js';

// The KPIs api/metrics/series samples per API; the healthy chart adds the fleet's rate.
const TRENDS = [
  {key: 'healthy', title: 'Healthy rate', fleet: true},
  {key: 'success', title: 'Success rate'},
  {key: 'failover', title: 'Failover rate'},
];

// Distinct hues for up to eight APIs; further APIs reuse them.
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777',
                 '#4b5563'];

export class TrendCharts {
  constructor(container, note) {
    this.container = container;
    this.note = note;
    this.charts = new Map();  // kpi key -> Chart
  }

  static available() {
    return typeof window.Chart === 'function';
  }

  showNote(text) {
    this.note.textContent = text;
    this.note.classList.remove('hidden');
  }

  hideNote() {
    this.note.classList.add('hidden');
  }

  clear() {
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    replaceChildren(this.container);
  }

  // trends: {enabled, samples} from model.trendSamples; failure: words or undefined;
  // historyEnabled: from the config when known.
  draw(trends, failure, historyEnabled) {
    if (!TrendCharts.available()) {
      this.clear();
      this.showNote('Charts are unavailable (chart.js did not load); the tables below still ' +
                    'show every KPI.');
      return;
    }
    if (failure) {
      this.clear();
      this.showNote(`Trends unavailable: ${failure}`);
      return;
    }
    if (trends.enabled === false || historyEnabled === false) {
      this.clear();
      this.showNote('History is disabled: set failover.dashboard.history.enabled to true to ' +
                    'see KPI trends.');
      return;
    }
    if (trends.samples.length === 0) {
      this.clear();
      this.showNote('No trend samples yet: the history sampler has not run.');
      return;
    }
    this.hideNote();
    const names = [...new Set(trends.samples.flatMap((s) => [...s.apis.keys()]))].sort();
    const labels = trends.samples.map((s) => s.at.toLocaleTimeString('en-GB', {hour12: false}));
    for (const trend of TRENDS) {
      const datasets = names.map((name, i) => ({
        label: name,
        data: trends.samples.map((s) => {
          const value = s.apis.get(name)?.[trend.key];
          return value === undefined ? null : value * 100;
        }),
        borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length],
        pointRadius: 2,
        spanGaps: true,
      }));
      if (trend.fleet) {
        datasets.unshift({
          label: 'all APIs',
          data: trends.samples.map((s) => (s.healthy === undefined ? null : s.healthy * 100)),
          borderColor: '#111827',
          backgroundColor: '#111827',
          borderDash: [6, 4],
          pointRadius: 2,
          spanGaps: true,
        });
      }
      this.update(trend, labels, datasets);
    }
  }

  update(trend, labels, datasets) {
    let chart = this.charts.get(trend.key);
    if (chart) {
      chart.data.labels = labels;
      chart.data.datasets = datasets;
      chart.update('none');
      return;
    }
    const canvas = el('canvas', {'data-testid': `chart-${trend.key}`, 'aria-label': trend.title});
    this.container.append(el('figure', {class: 'chart'}, el('figcaption', {}, trend.title),
                             el('div', {class: 'chart-box'}, canvas)));
    chart = new window.Chart(canvas, {
      type: 'line',
      data: {labels, datasets},
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {y: {min: 0, max: 100, ticks: {callback: (v) => `${v} %`}}},
        plugins: {legend: {position: 'bottom'}},
      },
    });
    this.charts.set(trend.key, chart);
  }
}
