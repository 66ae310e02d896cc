// Fetching the dashboard's JSON API. URLs are relative to the page ({base-path}/), so the UI
// works under any base-path. The browser sends the HTTP Basic credentials it was given.

// What the UI reads on every refresh; `label` names the endpoint in error messages.
export const ENDPOINTS = {
  failoverHealth: {path: 'api/failover-health', label: 'failover health'},
  metrics: {path: 'api/metrics', label: 'metrics'},
  series: {path: 'api/metrics/series?windowSec=3600', label: 'metric trends'},
  exceptions: {path: 'api/metrics/exceptions', label: 'exceptions'},
  health: {path: 'api/health', label: 'server health'},
  instances: {path: 'api/instances', label: 'instances'},
  config: {path: 'api/config', label: 'configuration'},
  settings: {path: 'api/config/settings', label: 'settings'},
  servedSwitch: {path: 'api/naming/switch?namespace=public', label: 'naming switch'},
};

// A failed fetch in words a person can act on.
export function describeStatus(status) {
  if (status === 0) return 'failoverd cannot be reached (network error or server stopped)';
  if (status === 401) return 'not signed in (401): sign in with a dashboard user';
  if (status === 403) return 'forbidden (403): this user lacks the dashboard role';
  if (status === 404) return 'not exposed (404): not in failover.dashboard.exposure.include';
  if (status === 429) return 'too many requests (429): locked out after failed sign-ins';
  if (status === 503) return 'unavailable (503): the metrics source cannot be read';
  if (status >= 500) return `server error (${status})`;
  return `unexpected answer (${status})`;
}

// {ok: true, status, data} or {ok: false, status, message}; never throws.
export async function fetchJson(path) {
  let response;
  try {
    response = await fetch(path, {headers: {Accept: 'application/json'}, cache: 'no-store'});
  } catch (error) {
    return {ok: false, status: 0, message: describeStatus(0)};
  }
  let text = '';
  try {
    text = await response.text();
  } catch (error) {
    return {ok: false, status: 0, message: describeStatus(0)};
  }
  if (!response.ok) {
    const detail = serverMessage(text);
    const words = describeStatus(response.status);
    // Some failures carry a body worth showing (api/health answers 503 with what is down).
    return {ok: false, status: response.status, message: detail ? `${words}: ${detail}` : words,
            data: parseOrUndefined(text)};
  }
  try {
    return {ok: true, status: response.status, data: text === '' ? null : JSON.parse(text)};
  } catch (error) {
    return {ok: false, status: response.status, message: 'the answer is not valid JSON'};
  }
}

function parseOrUndefined(text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    return undefined;
  }
}

// The "error"/"message" field of a JSON error body, if any (shown as text, never as markup).
function serverMessage(text) {
  const body = parseOrUndefined(text);
  const message = body && (body.error || body.message);
  return typeof message === 'string' ? message.slice(0, 300) : '';
}

// Fetches every endpoint at once: {name: result}.
export async function fetchAll(endpoints = ENDPOINTS) {
  const names = Object.keys(endpoints);
  const results = await Promise.all(names.map((name) => fetchJson(endpoints[name].path)));
  return Object.fromEntries(names.map((name, i) => [name, results[i]]));
}
