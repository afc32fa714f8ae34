// 绿色建材下乡 dashboard: the reporting service's figures per pilot region and nationally, kept current from its
// live feed. Hand-written, no libraries, nothing loaded from elsewhere (the page's Content-Security-Policy allows
// this origin only); charts are SVG drawn here.
//
// Exactness: GET /overview returns a scope's figures at the end of a day (`on`) and `feedPosition`, the number of
// the last feed entry they include. The page follows GET /feed from there and adds each later entry's facts that
// fall in the scope and on or before `on` (facts are additive); a debounced reload of the overview replaces the
// base and drops the entries it now includes. Amounts are integer fen, kept as BigInt and printed by string
// arithmetic, never through floating point.
'use strict';

(function () {
  const TOKEN_KEY = 'gbm.dashboard.token';
  // Keys whose numbers are figures: parsed as BigInt (exact beyond 2^53 where the browser gives the source text).
  const FIGURE_KEYS = new Set(['value', 'cumulative', 'budget', 'committed', 'paidNet', 'loanSubsidies']);
  const REFRESH_DELAY_MS = 1500;
  const REFRESH_MAX_WAIT_MS = 10000;
  const MAX_LISTED_EVENTS = 50;

  // The key figures: cards at the top, columns of the regions' table. Shown when GET /projections lists the metric.
  const KEY_FIGURES = [
    { metric: 'certificates.valid', label: '有效认证产品', en: 'Certified products' },
    { metric: 'enterprises.registered', label: '注册企业', en: 'Enterprises registered' },
    { metric: 'activities.held', label: '已举办活动', en: 'Activities held' },
    { metric: 'participants.active', label: '参与企业和门店', en: 'Active participants' },
    { metric: 'subsidy.approved', label: '已批准补贴', en: 'Subsidy approved' },
    { metric: 'subsidy.paid', label: '已发放补贴', en: 'Subsidy paid' },
    { metric: 'complaints.received', label: '受理投诉', en: 'Complaints received' },
    { metric: 'complaints.closed', label: '办结投诉', en: 'Complaints closed' },
  ];

  // The charts over time; a series is drawn when its metric is listed.
  const CHARTS = [
    { id: 'activities', title: '活动举办 Activities held', series: [{ metric: 'activities.held', label: '已举办 held' }] },
    { id: 'subsidy', title: '补贴 Subsidy (元 yuan)', series: [
      { metric: 'subsidy.approved', label: '批准 approved' }, { metric: 'subsidy.paid', label: '发放 paid' }] },
    { id: 'complaints', title: '投诉 Complaints', series: [
      { metric: 'complaints.received', label: '受理 received' }, { metric: 'complaints.closed', label: '办结 closed' }] },
    { id: 'certificates', title: '认证 Certificates issued', series: [{ metric: 'certificates.issued', label: '颁发 issued' }] },
  ];

  const EVENT_LABELS = {
    'enterprise.registered': '企业注册 enterprise registered',
    'certificate.issued': '颁发认证 certificate issued',
    'certificate.suspended': '暂停认证 certificate suspended',
    'certificate.revoked': '撤销认证 certificate revoked',
    'certificate.renewed': '认证续期 certificate renewed',
    'activity.scheduled': '活动计划 activity scheduled',
    'activity.held': '活动举办 activity held',
    'activity.cancelled': '活动取消 activity cancelled',
    'participant.enrolled': '企业参与 participant enrolled',
    'participant.withdrawn': '企业退出 participant withdrawn',
    'region.approved': '试点批准 region approved',
    'claim.submitted': '补贴申请 claim submitted',
    'claim.approved': '补贴批准 claim approved',
    'claim.paid': '补贴发放 claim paid',
    'complaint.received': '投诉受理 complaint received',
    'complaint.closed': '投诉办结 complaint closed',
  };

  const state = {
    token: null,
    claims: {},
    metrics: new Map(),      // name → { unit, dimension, summary }
    regions: [],             // GET /pilot-regions
    page: null,              // { kind: 'national' } or { kind: 'region', region }
    scopes: new Map(),       // '' (national) or a region code → { region, on, position, base: Map(metric → BigInt) }
    received: [],            // feed entries after the oldest scope's position, oldest first
    listed: [],              // the latest entries, newest first, for the list
    lastEventId: null,
    granularity: 'month',
    campaignStart: null,
    feed: null,              // the current subscription's AbortController
    generation: 0,           // bumped on every page change: late answers of an older page are dropped
    refreshTimer: null,
    refreshDeadline: 0,
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- numbers

  function parseJSON(text) {
    return JSON.parse(text, function (key, value, context) {
      if (typeof value !== 'number' || !FIGURE_KEYS.has(key)) return value;
      if (context && typeof context.source === 'string' && /^-?\d+$/.test(context.source)) return BigInt(context.source);
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    });
  }

  function toBig(value) {
    if (typeof value === 'bigint') return value;
    return Number.isSafeInteger(value) ? BigInt(value) : 0n;
  }

  function groupDigits(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  /** Integer fen as yuan with two decimals, by string arithmetic: 123456 → "1,234.56". */
  function formatFen(fen) {
    const big = toBig(fen);
    const negative = big < 0n;
    const digits = (negative ? -big : big).toString().padStart(3, '0');
    return (negative ? '-' : '') + groupDigits(digits.slice(0, -2)) + '.' + digits.slice(-2);
  }

  function formatCount(count) {
    const big = toBig(count);
    return (big < 0n ? '-' : '') + groupDigits((big < 0n ? -big : big).toString());
  }

  function isFen(metric) {
    const known = state.metrics.get(metric);
    return Boolean(known && known.unit === 'fen');
  }

  function format(metric, value) {
    return isFen(metric) ? formatFen(value) : formatCount(value);
  }

  // ---------------------------------------------------------------- token

  function takeTokenFromFragment() {
    const params = new URLSearchParams(location.hash.slice(1));
    const token = params.get('token');
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token.trim());
    params.delete('token');
    // The token leaves the address bar (and the history) at once.
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
  }

  /** The token's claims, for defaults only (role, region): the service checks the token on every request. */
  function readClaims(token) {
    const parts = token.split('.');
    if (parts.length !== 3) return {};
    try {
      const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
      const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
      const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
      const claims = JSON.parse(new TextDecoder().decode(bytes));
      return claims && typeof claims === 'object' ? claims : {};
    } catch (error) {
      return {};
    }
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    stopFeed();
    state.token = null;
    showSignIn('');
  }

  // ---------------------------------------------------------------- HTTP

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail || 'HTTP ' + status);
      this.status = status;
    }
  }

  async function api(path) {
    const response = await fetch(path, {
      headers: { Authorization: 'Bearer ' + state.token, Accept: 'application/json' },
      cache: 'no-store',
    });
    const text = await response.text();
    if (!response.ok) {
      let detail = '';
      try {
        const problem = JSON.parse(text);
        detail = problem.detail || problem.title || '';
      } catch (error) {
        detail = '';
      }
      throw new ApiError(response.status, detail);
    }
    return parseJSON(text);
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== null && value !== undefined && value !== '') search.set(key, value);
    }
    const text = search.toString();
    return text ? '?' + text : '';
  }

  // ---------------------------------------------------------------- regions and scopes

  /** The significant digits of a division code: a province's 2, a city's 4, a county's 6, a town's 9, a village's 12. */
  function significantPrefix(code) {
    if (code.length === 6) {
      if (code.slice(2, 4) === '00') return code.slice(0, 2);
      if (code.slice(4, 6) === '00') return code.slice(0, 4);
    }
    return code;
  }

  function inScope(factRegion, scopeRegion) {
    if (!scopeRegion) return true;
    return factRegion !== '' && factRegion.startsWith(significantPrefix(scopeRegion));
  }

  function regionName(code) {
    const region = state.regions.find((r) => r.regionCode === code);
    return region ? region.regionName : code;
  }

  function scopeOf(overview, region) {
    const base = new Map();
    for (const entry of overview.entries) {
      base.set(entry.metric, (base.get(entry.metric) || 0n) + toBig(entry.value));
    }
    return { region, on: overview.on, position: Number(overview.feedPosition), base };
  }

  /** A scope's figure now: the overview's value plus the facts of later entries in the scope, dated up to `on`. */
  function figure(scope, metric) {
    let value = scope.base.get(metric) || 0n;
    for (const entry of state.received) {
      if (entry.id <= scope.position) continue;
      for (const fact of entry.facts) {
        if (fact.metric === metric && (fact.day || entry.day) <= scope.on && inScope(fact.regionCode, scope.region)) {
          value += toBig(fact.value);
        }
      }
    }
    return value;
  }

  /** How much a scope's figure changed since the page loaded it. */
  function liveDelta(scope, metric) {
    return figure(scope, metric) - (scope.initial.get(metric) || 0n);
  }

  function keyFigures() {
    return KEY_FIGURES.filter((f) => state.metrics.has(f.metric));
  }

  // ---------------------------------------------------------------- pages

  function route() {
    const params = new URLSearchParams(location.hash.slice(1));
    const asked = params.get('region') || new URLSearchParams(location.search).get('region');
    if (asked && /^\d{6}(\d{3}){0,2}$/.test(asked)) return { kind: 'region', region: asked };
    if (state.claims.role === 'region-official' && typeof state.claims.region === 'string') {
      return { kind: 'region', region: state.claims.region };
    }
    return { kind: 'national' };
  }

  async function open() {
    const generation = ++state.generation;
    stopFeed();
    clearTimeout(state.refreshTimer);
    state.refreshTimer = null;
    state.scopes = new Map();
    state.received = [];
    state.listed = [];
    state.lastEventId = null;
    state.page = route();
    hideMessage();
    $('sign-in').hidden = true;
    $('sign-out').hidden = false;
    setStatus('connecting', '加载中 loading…');
    try {
      if (state.metrics.size === 0) {
        const list = await api('/projections');
        for (const metric of list.metrics) state.metrics.set(metric.name, metric);
      }
      const regions = await api('/pilot-regions');
      if (generation !== state.generation) return;
      state.regions = regions.regions;
      if (state.page.kind === 'national') await openNational(generation);
      else await openRegion(generation, state.page.region);
      if (generation !== state.generation) return;
      $('view').hidden = false;
      await drawCharts(generation);
      if (generation !== state.generation) return;
      const positions = [...state.scopes.values()].map((s) => s.position);
      state.lastEventId = String(Math.min(...positions));
      followFeed(generation);
    } catch (error) {
      if (generation !== state.generation) return;
      failed(error);
    }
  }

  function failed(error) {
    setStatus('error', '错误 error');
    if (error instanceof ApiError && error.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn('令牌无效或已过期，请重新输入。The token is invalid or has expired. ' + error.message);
    } else if (error instanceof ApiError && error.status === 403) {
      showMessage('此令牌无权查看。This token may not see these figures. ' + error.message);
    } else if (error instanceof ApiError && error.status === 404) {
      showMessage('没有该地区的数据。No such pilot region. ' + error.message);
    } else {
      showMessage('加载失败。Loading failed: ' + error.message);
    }
  }

  async function openNational(generation) {
    const national = await api('/overview');
    const perRegion = await Promise.all(state.regions.map((r) => api('/overview' + query({ regionCode: r.regionCode }))));
    if (generation !== state.generation) return;
    state.scopes.set('', withInitial(scopeOf(national, null)));
    state.regions.forEach((r, index) => state.scopes.set(r.regionCode, withInitial(scopeOf(perRegion[index], r.regionCode))));
    $('view-title').textContent = '全国 National';
    $('crumb-region').textContent = '';
    $('to-national').hidden = state.claims.role === 'region-official';
    $('view-period').textContent = periodText(national.on);
    renderFigures(state.scopes.get(''));
    renderRegionsTable();
    $('regions-panel').hidden = false;
    renderEvents();
  }

  async function openRegion(generation, region) {
    const overview = await api('/overview' + query({ regionCode: region }));
    if (generation !== state.generation) return;
    state.scopes.set(region, withInitial(scopeOf(overview, region)));
    const official = state.claims.role === 'region-official';
    $('view-title').textContent = regionName(region) + ' ' + region;
    $('crumb-region').textContent = (official ? '' : ' › ') + regionName(region);
    $('to-national').hidden = official;
    $('view-period').textContent = periodText(overview.on);
    $('regions-panel').hidden = true;
    renderFigures(state.scopes.get(region));
    renderEvents();
  }

  /** The scope with its figures as loaded, which the live change is counted from. */
  function withInitial(scope) {
    scope.initial = new Map(scope.base);
    return scope;
  }

  function periodText(on) {
    return '统计截至 ' + on + '（含当日）· figures at the end of ' + on;
  }

  function currentScope() {
    return state.page && state.page.kind === 'region' ? state.scopes.get(state.page.region) : state.scopes.get('');
  }

  // ---------------------------------------------------------------- figures and table

  function renderFigures(scope) {
    const container = $('figures');
    container.replaceChildren();
    for (const key of keyFigures()) {
      const card = document.createElement('div');
      card.className = 'figure';
      card.dataset.metric = key.metric;
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = key.label + ' · ' + key.en;
      const value = document.createElement('span');
      value.className = 'value';
      const delta = document.createElement('span');
      delta.className = 'live-delta';
      card.append(label, value, delta);
      container.append(card);
    }
    updateFigures(scope, false);
  }

  function updateFigures(scope, highlight) {
    if (!scope) return;
    for (const card of $('figures').querySelectorAll('.figure')) {
      const metric = card.dataset.metric;
      const value = figure(scope, metric);
      const text = value.toString();
      const changed = card.dataset.value !== undefined && card.dataset.value !== text;
      card.dataset.value = text;
      const valueElement = card.querySelector('.value');
      valueElement.textContent = format(metric, value);
      if (isFen(metric)) {
        const unit = document.createElement('span');
        unit.className = 'unit';
        unit.textContent = '元';
        valueElement.append(unit);
      }
      const delta = liveDelta(scope, metric);
      card.querySelector('.live-delta').textContent =
        delta === 0n ? '' : '实时 live ' + (delta > 0n ? '+' : '') + format(metric, delta) + (isFen(metric) ? ' 元' : '');
      if (changed && highlight) flash(card);
    }
  }

  function flash(element) {
    element.classList.remove('changed');
    void element.offsetWidth; // restart the animation
    element.classList.add('changed');
  }

  function renderRegionsTable() {
    const head = $('regions-head');
    head.replaceChildren();
    const columns = ['地区 Region', '代码 Code', '批次 Batch'];
    for (const text of columns) head.append(cell('th', text));
    for (const key of keyFigures()) {
      head.append(cell('th', key.label + (isFen(key.metric) ? '（元）' : ''), 'number'));
    }
    const body = $('regions-body');
    body.replaceChildren();
    if (state.regions.length === 0) {
      const row = document.createElement('tr');
      const empty = cell('td', '暂无已批准的试点地区 No approved pilot regions yet');
      empty.colSpan = 3 + keyFigures().length;
      row.append(empty);
      body.append(row);
      return;
    }
    for (const region of state.regions) {
      const row = document.createElement('tr');
      row.dataset.region = region.regionCode;
      const nameCell = document.createElement('td');
      const link = document.createElement('a');
      link.href = '#region=' + encodeURIComponent(region.regionCode);
      link.textContent = region.regionName;
      nameCell.append(link);
      row.append(nameCell, cell('td', region.regionCode), cell('td', String(region.batchYear)));
      for (const key of keyFigures()) {
        const td = cell('td', '', 'number');
        td.dataset.metric = key.metric;
        row.append(td);
      }
      body.append(row);
    }
    updateRegionsTable(false);
  }

  function updateRegionsTable(highlight) {
    for (const row of $('regions-body').querySelectorAll('tr[data-region]')) {
      const scope = state.scopes.get(row.dataset.region);
      if (!scope) continue;
      for (const td of row.querySelectorAll('td[data-metric]')) {
        const value = figure(scope, td.dataset.metric);
        const text = value.toString();
        const changed = td.dataset.value !== undefined && td.dataset.value !== text;
        td.dataset.value = text;
        td.textContent = format(td.dataset.metric, value);
        if (changed && highlight) flash(td);
      }
    }
  }

  function cell(tag, text, className) {
    const element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    return element;
  }

  // ---------------------------------------------------------------- live feed

  function setStatus(kind, text) {
    const element = $('live-status');
    element.dataset.state = kind;
    element.textContent = text;
  }

  function stopFeed() {
    if (state.feed) state.feed.abort();
    state.feed = null;
  }

  /** An SSE parser (the WHATWG event stream format): feed it text as it arrives; it calls back per event. */
  function eventStreamParser(onEvent, onRetry) {
    let buffer = '';
    let data = [];
    let type = '';
    let id = null;
    return function push(chunk) {
      buffer += chunk;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) return;
        // A lone CR at the end may be the first half of CR LF: wait for more.
        if (match[0] === '\r' && match.index === buffer.length - 1) return;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === '') {
          if (data.length > 0) onEvent({ id, type: type || 'message', data: data.join('\n') });
          data = [];
          type = '';
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'event') type = value;
        else if (field === 'id' && !value.includes('\u0000')) id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) onRetry(Number(value));
      }
    };
  }

  async function followFeed(generation) {
    let retry = 1000;
    let failures = 0;
    while (generation === state.generation) {
      const controller = new AbortController();
      state.feed = controller;
      setStatus(failures === 0 ? 'connecting' : 'reconnecting', failures === 0 ? '连接中 connecting…' : '重连中 reconnecting…');
      try {
        const headers = { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream' };
        if (state.lastEventId !== null) headers['Last-Event-ID'] = state.lastEventId;
        const region = state.page.kind === 'region' ? state.page.region : null;
        const response = await fetch('/feed' + query({ regionCode: region }), {
          headers, signal: controller.signal, cache: 'no-store',
        });
        if (response.status === 401 || response.status === 403) {
          failed(new ApiError(response.status, '实时事件流 live feed'));
          return;
        }
        if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
        setStatus('live', '实时 live');
        failures = 0;
        const parse = eventStreamParser((event) => received(generation, event), (ms) => { retry = ms; });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parse(value);
        }
      } catch (error) {
        if (controller.signal.aborted || generation !== state.generation) return;
      }
      if (generation !== state.generation) return;
      failures += 1;
      setStatus('reconnecting', '重连中 reconnecting…');
      await sleep(Math.min(30000, retry * Math.min(failures, 10)));
    }
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  function received(generation, event) {
    if (generation !== state.generation) return;
    let entry;
    try {
      entry = parseJSON(event.data);
    } catch (error) {
      return;
    }
    if (event.id !== null) state.lastEventId = event.id;
    if (!entry || typeof entry.id !== 'number' || !Array.isArray(entry.facts)) return;
    state.received.push(entry);
    const scope = currentScope();
    entry.outside = Boolean(scope) && entry.facts.every((fact) => (fact.day || entry.day) > scope.on);
    state.listed.unshift(entry);
    state.listed.length = Math.min(state.listed.length, MAX_LISTED_EVENTS);
    updateFigures(scope, true);
    if (state.page.kind === 'national') updateRegionsTable(true);
    renderEvents(entry.id);
    scheduleRefresh(generation);
  }

  function renderEvents(newest) {
    const list = $('events');
    list.replaceChildren();
    if (state.listed.length === 0) {
      const item = document.createElement('li');
      item.append(cell('span', '等待新事件… waiting for new events', 'none'));
      list.append(item);
      return;
    }
    for (const entry of state.listed) {
      const item = document.createElement('li');
      item.dataset.id = String(entry.id);
      if (entry.outside) item.classList.add('outside');
      if (entry.id === newest) item.classList.add('new');
      const what = cell('span', describeType(entry.type) + (entry.regionCode ? ' · ' + regionLabel(entry.regionCode) : ''), 'what');
      item.append(cell('span', entry.day, 'when'), what);
      const facts = entry.facts.map((fact) => {
        const delta = toBig(fact.value);
        return fact.metric + (fact.dimension ? ' [' + fact.dimension + ']' : '') + ' ' + (delta >= 0n ? '+' : '') +
          format(fact.metric, delta) + (isFen(fact.metric) ? ' 元' : '');
      });
      item.append(cell('span', facts.join(' · '), 'facts'));
      list.append(item);
    }
  }

  function describeType(type) {
    // gbm.<service>.<aggregate>.<event>.v<major>: the last two words name the event.
    const words = type.split('.');
    const key = words.length >= 3 ? words.slice(-3, -1).join('.') : type;
    return EVENT_LABELS[key] || type;
  }

  function regionLabel(code) {
    const containing = state.regions.find((r) => code.startsWith(significantPrefix(r.regionCode)));
    return containing ? containing.regionName + ' ' + code : code;
  }

  // Reload figures and charts once events stop arriving for a moment (or every 10 s while they keep coming).
  function scheduleRefresh(generation) {
    const now = Date.now();
    if (state.refreshTimer === null) state.refreshDeadline = now + REFRESH_MAX_WAIT_MS;
    clearTimeout(state.refreshTimer);
    const delay = Math.max(0, Math.min(REFRESH_DELAY_MS, state.refreshDeadline - now));
    state.refreshTimer = setTimeout(() => {
      state.refreshTimer = null;
      refresh(generation);
    }, delay);
  }

  async function refresh(generation) {
    try {
      const keys = [...state.scopes.keys()];
      const answers = await Promise.all(keys.map((key) => api('/overview' + query({ regionCode: key }))));
      if (generation !== state.generation) return;
      keys.forEach((key, index) => {
        const old = state.scopes.get(key);
        const next = scopeOf(answers[index], old.region);
        next.initial = old.initial; // the live change still counts from the page's first load
        state.scopes.set(key, next);
      });
      const oldest = Math.min(...[...state.scopes.values()].map((s) => s.position));
      state.received = state.received.filter((entry) => entry.id > oldest);
      updateFigures(currentScope(), true);
      if (state.page.kind === 'national') updateRegionsTable(true);
      await drawCharts(generation);
    } catch (error) {
      if (generation === state.generation) showMessage('刷新失败 Refresh failed: ' + error.message);
    }
  }

  // ---------------------------------------------------------------- charts

  function addDays(isoDay, days) {
    const date = new Date(isoDay + 'T00:00:00Z');
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }

  /** Every bucket's first day from `from` to `to`: months or days. */
  function periods(from, to, granularity) {
    const list = [];
    if (granularity === 'month') {
      let year = Number(from.slice(0, 4));
      let month = Number(from.slice(5, 7));
      const end = to.slice(0, 7);
      for (;;) {
        const key = String(year).padStart(4, '0') + '-' + String(month).padStart(2, '0');
        if (key > end) break;
        list.push(key + '-01');
        month += 1;
        if (month > 12) { month = 1; year += 1; }
      }
    } else {
      for (let day = from; day <= to; day = addDays(day, 1)) list.push(day);
    }
    return list;
  }

  async function drawCharts(generation) {
    const scope = currentScope();
    if (!scope) return;
    const region = scope.region;
    const to = scope.on;
    const charts = CHARTS.map((chart) => ({ ...chart, series: chart.series.filter((s) => state.metrics.has(s.metric)) }))
      .filter((chart) => chart.series.length > 0);
    if (charts.length === 0) {
      $('charts').replaceChildren(cell('p', '暂无可显示的指标 No metric to chart', 'empty'));
      return;
    }
    // The campaign's first day: what a series starts at when asked without `from`.
    if (state.campaignStart === null) {
      const probe = await api('/projections/' + encodeURIComponent(charts[0].series[0].metric) + query({ regionCode: region, to, granularity: 'year' }));
      state.campaignStart = probe.from;
    }
    let from = state.campaignStart;
    if (state.granularity === 'day') {
      const ninety = addDays(to, -89);
      if (ninety > from) from = ninety;
    }
    const requests = charts.map((chart) => Promise.all(chart.series.map((s) =>
      api('/projections/' + encodeURIComponent(s.metric) + query({ regionCode: region, from, to, granularity: state.granularity })))));
    const answers = await Promise.all(requests);
    if (generation !== state.generation) return;
    const axis = periods(from, to, state.granularity);
    const container = $('charts');
    container.replaceChildren();
    charts.forEach((chart, index) => {
      const series = chart.series.map((s, position) => {
        const byPeriod = new Map();
        for (const point of answers[index][position].points) {
          byPeriod.set(point.period, (byPeriod.get(point.period) || 0n) + toBig(point.value));
        }
        let total = 0n;
        for (const t of answers[index][position].totals) total += toBig(t.value);
        return { metric: s.metric, label: s.label, values: axis.map((p) => byPeriod.get(p) || 0n), total };
      });
      container.append(chartElement(chart, axis, series));
    });
  }

  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attributes, text) {
    const element = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    if (text !== undefined) element.textContent = text;
    return element;
  }

  /** A tick step of 1, 2 or 5 × 10^k (in the metric's unit, integer) giving about four ticks up to `max`. */
  function tickStep(max) {
    if (max <= 0n) return 1n;
    let step = 1n;
    for (;;) {
      for (const factor of [1n, 2n, 5n]) {
        if (max / (step * factor) <= 4n) return step * factor;
      }
      step *= 10n;
    }
  }

  function chartElement(chart, axis, series) {
    const figureElement = document.createElement('figure');
    figureElement.className = 'chart';
    figureElement.dataset.chart = chart.id;
    const title = cell('h4', chart.title);
    const totals = series.map((s) => s.label + ' ' + format(s.metric, s.total) + (isFen(s.metric) ? ' 元' : ''));
    const summary = cell('p', '累计 cumulative: ' + totals.join(' · '), 'chart-total');
    figureElement.append(title, summary);

    const width = 560;
    const height = 220;
    const left = 78;
    const right = 10;
    const top = 10;
    const bottom = 34;
    const plotWidth = width - left - right;
    const plotHeight = height - top - bottom;
    let max = 0n;
    for (const s of series) for (const v of s.values) if (v > max) max = v;
    const step = tickStep(max);
    const ticks = max === 0n ? 1n : (max + step - 1n) / step;
    const top_ = step * ticks;
    const image = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': chart.title });
    image.append(svg('desc', {}, chart.title + ': ' + totals.join(', ')));
    const fen = isFen(series[0].metric);
    for (let i = 0n; i <= ticks; i += 1n) {
      const y = top + plotHeight - Number(i) * plotHeight / Number(ticks);
      image.append(svg('line', { x1: left, x2: width - right, y1: y, y2: y, class: 'grid' }));
      const label = fen ? formatFen(step * i).replace(/\.00$/, '') : formatCount(step * i);
      image.append(svg('text', { x: left - 6, y: y + 3, 'text-anchor': 'end' }, label));
    }
    image.append(svg('line', { x1: left, x2: width - right, y1: top + plotHeight, y2: top + plotHeight, class: 'axis' }));
    if (max === 0n) {
      image.append(svg('text', { x: left + plotWidth / 2, y: top + plotHeight / 2, 'text-anchor': 'middle', class: 'no-data' },
        '此期间暂无数据 nothing in this period'));
    }
    const slot = plotWidth / Math.max(1, axis.length);
    const barWidth = Math.max(0.5, (slot * 0.8) / series.length);
    const scale = (value) => (top_ === 0n ? 0 : Number(value) * plotHeight / Number(top_));
    axis.forEach((period, index) => {
      series.forEach((s, position) => {
        const value = s.values[index];
        if (value <= 0n) return;
        const barHeight = Math.max(1, scale(value));
        const x = left + index * slot + slot * 0.1 + position * barWidth;
        const bar = svg('rect', {
          x: x.toFixed(2), y: (top + plotHeight - barHeight).toFixed(2), width: barWidth.toFixed(2),
          height: barHeight.toFixed(2), class: 'series-' + position,
        });
        bar.append(svg('title', {}, period.slice(0, state.granularity === 'month' ? 7 : 10) + ' ' + s.label + ': ' +
          format(s.metric, value) + (isFen(s.metric) ? ' 元' : '')));
        image.append(bar);
      });
    });
    const every = Math.max(1, Math.ceil(axis.length / 8));
    axis.forEach((period, index) => {
      if (index % every !== 0) return;
      const x = left + index * slot + slot / 2;
      image.append(svg('text', { x: x.toFixed(2), y: height - bottom + 14, 'text-anchor': 'middle' },
        state.granularity === 'month' ? period.slice(0, 7) : period.slice(5)));
    });
    figureElement.append(image);
    const legend = document.createElement('div');
    legend.className = 'legend';
    series.forEach((s, position) => legend.append(cell('span', s.label, 'series-' + position)));
    figureElement.append(legend);
    return figureElement;
  }

  // ---------------------------------------------------------------- messages and sign-in

  function showMessage(text) {
    const element = $('message');
    element.textContent = text;
    element.hidden = false;
  }

  function hideMessage() {
    $('message').hidden = true;
  }

  function showSignIn(text) {
    state.generation += 1;
    $('view').hidden = true;
    $('sign-in').hidden = false;
    $('sign-out').hidden = true;
    setStatus('offline', '未连接 offline');
    if (text) showMessage(text); else hideMessage();
  }

  function start() {
    takeTokenFromFragment();
    state.token = sessionStorage.getItem(TOKEN_KEY);
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token-input').value.trim();
      if (!token) return;
      $('token-input').value = '';
      sessionStorage.setItem(TOKEN_KEY, token);
      state.token = token;
      state.claims = readClaims(token);
      state.metrics = new Map();
      open();
    });
    $('sign-out').addEventListener('click', signOut);
    for (const button of document.querySelectorAll('[data-granularity]')) {
      button.addEventListener('click', () => {
        state.granularity = button.dataset.granularity;
        for (const other of document.querySelectorAll('[data-granularity]')) {
          other.setAttribute('aria-pressed', String(other === button));
        }
        drawCharts(state.generation).catch(failed);
      });
    }
    window.addEventListener('hashchange', () => {
      takeTokenFromFragment();
      const token = sessionStorage.getItem(TOKEN_KEY);
      if (token && token !== state.token) {
        state.token = token;
        state.metrics = new Map();
      }
      if (state.token) {
        state.claims = readClaims(state.token);
        open();
      }
    });
    if (!state.token) {
      showSignIn('');
      return;
    }
    state.claims = readClaims(state.token);
    open();
  }

  start();
})();
