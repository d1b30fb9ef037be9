// The livecap operator console: three views fed by server-sent events (GET /v1/console/events), controls that call
// the documented REST API. Every update changes the elements in place: a row, a cell, a bar; nothing is rebuilt whole.
'use strict';

const $ = (id) => document.getElementById(id);
let source = null;
const updateCost = { count: 0, totalMs: 0, maxMs: 0 };
window.updateCost = updateCost;

function text(el, value) {
  const s = value === null || value === undefined ? '' : String(value);
  if (el.textContent !== s) el.textContent = s; // untouched when unchanged: no layout work for a steady value
}

function cls(el, name) {
  if (el.className !== name) el.className = name;
}

function seconds(ms) {
  return ms === null || ms === undefined ? '' : (ms / 1000).toFixed(1) + ' s';
}

function listen(query, onSnapshot) {
  if (source) source.close();
  source = new EventSource('/v1/console/events?' + query);
  source.addEventListener('snapshot', (e) => {
    const began = performance.now();
    text($('link'), 'live');
    onSnapshot(JSON.parse(e.data));
    // what applying one snapshot costs the page (parse and DOM updates; layout comes after): kept for measuring
    const took = performance.now() - began;
    updateCost.count++;
    updateCost.totalMs += took;
    updateCost.maxMs = Math.max(updateCost.maxMs, took);
  });
  source.onerror = () => {
    text($('link'), 'reconnecting');
    // a refused credential (expired login, revoked key) ends the stream for good: back to the login form
    fetch('/v1/streams', { credentials: 'same-origin' }).then((r) => {
      if (r.status === 401 || r.status === 403) location.href = '/console/login.html';
    }).catch(() => {});
  };
}

// ---------- streams ----------
const COLUMNS = ['stream', 'state', 'source', 'pull', 'url', 'engine', 'audio', 'backlog', 'latency', 'last', 'alerts'];
const rows = new Map();

function streamRow(id) {
  let tr = rows.get(id);
  if (!tr) {
    tr = document.createElement('tr');
    tr.id = 'row-' + id;
    for (const c of COLUMNS) {
      const td = document.createElement('td');
      td.className = 'c-' + c;
      tr.appendChild(td);
    }
    const a = document.createElement('a');
    a.href = '#/stream/' + encodeURIComponent(id);
    a.textContent = id;
    tr.firstChild.appendChild(a);
    $('streams').tBodies[0].appendChild(tr);
    rows.set(id, tr);
  }
  return tr;
}

function showStreams(snapshot) {
  const seen = new Set();
  for (const s of snapshot.streams) {
    seen.add(s.stream_id);
    const tr = streamRow(s.stream_id);
    const cell = (c) => tr.querySelector('.c-' + c);
    const state = cell('state');
    text(state, s.state);
    cls(state, 'c-state state-' + s.state);
    text(cell('source'), s.source);
    const pull = cell('pull');
    text(pull, s.pull_state || '');
    cls(pull, 'c-pull' + (s.pull_state ? ' pull-' + s.pull_state : ''));
    text(cell('url'), s.source_url || ''); // redacted by the server: no key or password reaches the page
    text(cell('engine'), s.engine);
    text(cell('audio'), seconds(s.audio_ms));
    text(cell('backlog'), s.backlog_ms === null || s.backlog_ms === undefined ? '' : s.backlog_ms + ' ms');
    text(cell('latency'), s.latency_p50_ms === null || s.latency_p50_ms === undefined ? ''
      : s.latency_p50_ms + ' / ' + s.latency_p95_ms + ' ms');
    text(cell('last'), s.last_caption || '');
    const alerts = cell('alerts');
    text(alerts, (s.alerts || []).join('; '));
    cls(alerts, 'c-alerts' + ((s.alerts || []).length ? ' alert' : ''));
  }
  for (const [id, tr] of rows) {
    if (!seen.has(id)) {
      tr.remove();
      rows.delete(id);
    }
  }
  $('no-streams').hidden = rows.size > 0;
  showGlobalAlerts(snapshot.alerts);
}

async function call(method, path, body, resultEl) {
  const response = await fetch(path, {
    method, credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  let answer = '';
  try { answer = await response.json(); } catch (e) { /* not JSON */ }
  text(resultEl, method + ' ' + path + ': ' + response.status
    + (answer && answer.error ? ' ' + answer.error : ''));
  response.answer = answer;
  return response;
}

// ---------- alerts ----------
// One list element per alert id, updated in place; the list is the server's order (active newest first, then the
// recently cleared). "Acknowledge" calls POST /v1/alerts/{id}/ack and shows its answer at once; the next snapshot
// agrees (an event alert is cleared by it, a condition alert stays active, marked).
function alertItem(list, a, resultEl) {
  // list.items: alert id -> its element, so a snapshot finds each without a query
  let li = list.items.get(a.id);
  if (!li) {
    li = document.createElement('li');
    li.id = list.id + '-' + a.id;
    li.dataset.alert = a.id;
    li.innerHTML = '<span class="a-kind"></span><span class="a-subject"></span><span class="a-message"></span>'
      + '<span class="a-raised"></span><span class="a-status"></span><button class="a-ack">Acknowledge</button>';
    li.parts = {};
    for (const c of ['kind', 'subject', 'message', 'raised', 'status', 'ack']) li.parts[c] = li.querySelector('.a-' + c);
    li.parts.ack.addEventListener('click', async () => {
      const r = await call('POST', '/v1/alerts/' + encodeURIComponent(a.id) + '/ack', null, resultEl);
      if (r.ok && r.answer && r.answer.id) showAlert(li, r.answer);
    });
    list.items.set(a.id, li);
  }
  showAlert(li, a);
  return li;
}

function showAlert(li, a) {
  const p = li.parts;
  text(p.kind, a.kind);
  text(p.subject, a.subject);
  text(p.message, a.message);
  text(p.raised, a.raised_at.substring(11, 19));
  text(p.status, (a.active ? 'active' : 'cleared') + (a.acknowledged ? ', acknowledged' : ''));
  cls(li, a.active ? (a.acknowledged ? 'acked' : 'active') : 'cleared');
  const can = a.active && !a.acknowledged;
  if (p.ack.hidden === can) p.ack.hidden = !can;
}

function showAlertList(list, alerts, resultEl) {
  if (!list.items) list.items = new Map();
  const wanted = (alerts || []).map((a) => alertItem(list, a, resultEl));
  // put them in order, moving only what is out of place; drop what the server no longer lists
  let at = list.firstChild;
  for (const li of wanted) {
    if (at !== li) list.insertBefore(li, at);
    else at = at.nextSibling;
  }
  const kept = new Set(wanted);
  for (const [id, li] of list.items) {
    if (!kept.has(li)) {
      li.remove();
      list.items.delete(id);
    }
  }
}

function showGlobalAlerts(alerts) {
  showAlertList($('alert-list'), alerts, $('alert-result'));
  $('no-alerts').hidden = (alerts || []).length > 0;
}

$('start-pull').addEventListener('submit', (e) => {
  e.preventDefault();
  const body = { id: $('pull-id').value.trim(), url: $('pull-url').value.trim() };
  if ($('pull-key').value.trim()) body.key = $('pull-key').value.trim();
  call('POST', '/v1/streams', body, $('pull-result'));
});

// ---------- one stream ----------
let current = null;
const finalRows = new Map();
const KEPT_FINALS = 50;

function resetStream(id) {
  current = id;
  text($('s-id'), id);
  finalRows.clear();
  $('finals').tBodies[0].replaceChildren();
  $('events').replaceChildren();
  $('gaps').tBodies[0].replaceChildren();
  $('viewer').replaceChildren();
  text($('control-result'), '');
}

function meter(el, rmsDb, peakDb, label) {
  const pct = (db) => db === null || db === undefined ? 0 : Math.max(0, Math.min(100, (db + 60) / 60 * 100));
  const level = el.querySelector('.level');
  const w = pct(rmsDb).toFixed(1) + '%';
  if (level.style.width !== w) level.style.width = w;
  el.querySelector('.peak').style.left = pct(peakDb).toFixed(1) + '%';
  el.dataset.rms = rmsDb === null || rmsDb === undefined ? '' : rmsDb.toFixed(1);
  text(el.querySelector('.num'), label);
}

function db(v) {
  return v === null || v === undefined ? '-' : v.toFixed(1);
}

function showAudio(health) {
  const lv = health && health.levels;
  const left = lv && lv.left;
  const right = lv && lv.right;
  meter($('m-left'), left ? left.rms_dbfs : null, left ? left.peak_dbfs : null,
    left ? db(left.rms_dbfs) + ' / pk ' + db(left.peak_dbfs) + ' dBFS' : '');
  meter($('m-right'), right ? right.rms_dbfs : null, right ? right.peak_dbfs : null,
    right ? db(right.rms_dbfs) + ' / pk ' + db(right.peak_dbfs) + ' dBFS' : (left ? 'mono' : ''));
  // the mix's level is the louder channel's plus the sum-vs-louder difference the health check measures
  let mix = left ? left.rms_dbfs : null;
  if (right && lv.sum_vs_louder_db !== null && lv.sum_vs_louder_db !== undefined) {
    mix = Math.max(left.rms_dbfs, right.rms_dbfs) + lv.sum_vs_louder_db;
  }
  const peak = left ? Math.max(left.peak_dbfs, right ? right.peak_dbfs : -200) : null;
  meter($('m-mix'), mix, peak, mix === null ? '' : db(mix) + ' dBFS (L+R)/2');
  text($('a-state'), health ? health.state : '');
  cls($('a-state'), health && health.state !== 'ok' && health.state !== 'unknown' ? 'alert' : '');
  text($('a-corr'), lv && lv.correlation !== null && lv.correlation !== undefined ? lv.correlation.toFixed(2) : '-');
  text($('a-sum'), lv ? db(lv.sum_vs_louder_db) + ' dB' : '-');
  text($('a-strategy'), health ? health.effective : '');
  text($('a-requested'), health ? health.requested : '');
  text($('a-window'), health ? health.last_window_end : '');
  text($('s-strategy'), health ? health.effective : '');
}

function showViewer(page) {
  // roll-up: the last final's lines, then the partial of the utterance being spoken, marked
  const viewer = $('viewer');
  const finals = page.captions || [];
  const last = finals.length ? finals[finals.length - 1] : null;
  const want = (last ? last.lines.join('\n') : '') + '|' + (page.partial ? page.partial.text : '');
  if (viewer.dataset.shown === want) return;
  viewer.dataset.shown = want;
  const parts = [];
  if (last) {
    for (const line of last.lines) {
      const div = document.createElement('div');
      div.className = 'final';
      div.textContent = line;
      parts.push(div);
    }
  }
  if (page.partial && page.partial.text) {
    const div = document.createElement('div');
    div.className = 'partial';
    div.textContent = page.partial.text;
    parts.push(div);
  }
  viewer.replaceChildren(...parts);
}

function showFinals(captions) {
  const body = $('finals').tBodies[0];
  for (const c of captions) {
    if (finalRows.has(c.seq)) continue;
    const tr = document.createElement('tr');
    tr.id = 'final-' + c.seq;
    for (const v of [c.seq, c.start, c.end, c.start_pts,
      c.confidence === null ? '' : c.confidence.toFixed(2), c.latency_ms + ' ms', c.text]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    body.insertBefore(tr, body.firstChild); // newest first
    finalRows.set(c.seq, tr);
  }
  while (finalRows.size > KEPT_FINALS) {
    const oldest = Math.min(...finalRows.keys());
    finalRows.get(oldest).remove();
    finalRows.delete(oldest);
  }
}

function showTiming(timing) {
  const body = $('gaps').tBodies[0];
  const items = [];
  for (const g of (timing && timing.gaps) || []) {
    items.push(['gap', g.at, g.length_ms + ' ms', g.cause + ' (by ' + g.measured_by + ')']);
  }
  for (const d of (timing && timing.discontinuities) || []) {
    items.push(['discontinuity', d.at, d.jump_ticks + ' ticks', 'expected ' + d.expected_pts + ', got ' + d.pts]);
  }
  const key = JSON.stringify(items);
  if (body.dataset.shown === key) return;
  body.dataset.shown = key;
  body.replaceChildren(...items.map((cells) => {
    const tr = document.createElement('tr');
    for (const v of cells) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    return tr;
  }));
}

function showEvents(events) {
  const list = $('events');
  // events only ever get appended (the server keeps the last 100): add those not shown yet
  const shown = list.children.length;
  const lastShown = shown ? list.lastChild.dataset.key : null;
  let start = 0;
  if (lastShown) {
    const i = events.findIndex((e) => e.at + e.kind === lastShown);
    start = i < 0 ? 0 : i + 1;
    if (i < 0) list.replaceChildren();
  }
  for (const e of events.slice(start)) {
    const li = document.createElement('li');
    li.dataset.key = e.at + e.kind;
    li.className = 'ev-' + e.kind;
    li.textContent = e.at.substring(11, 23) + ' ' + e.kind + ': ' + e.message;
    list.appendChild(li);
  }
}

function showStream(page) {
  if (page.error) {
    text($('s-state'), 'unknown');
    return;
  }
  const row = page.row;
  text($('s-state'), row.state);
  cls($('s-state'), 'badge state-' + row.state);
  text($('s-pull'), row.pull_state ? 'pull ' + row.pull_state : row.source);
  cls($('s-pull'), 'badge' + (row.pull_state ? ' pull-' + row.pull_state : ''));
  text($('s-p50'), row.latency_p50_ms);
  text($('s-p95'), row.latency_p95_ms);
  text($('s-audio'), seconds(row.audio_ms));
  text($('s-backlog'), row.backlog_ms);
  text($('s-drift'), row.timing_drift_ms); // what timing_mismatch judges: start_epoch against the media clock
  const alerts = $('s-alerts');
  const key = (row.alerts || []).join('|');
  if (alerts.dataset.shown !== key) {
    alerts.dataset.shown = key;
    alerts.replaceChildren(...(row.alerts || []).map((a) => {
      const span = document.createElement('span');
      span.className = 'alert';
      span.textContent = a;
      return span;
    }));
  }
  showAlertList($('s-alert-list'), page.alert_list, $('control-result'));
  showAudio(page.health);
  showViewer(page);
  showFinals(page.captions || []);
  showTiming(page.timing);
  showEvents(page.events || []);
}

$('strategy-set').addEventListener('click', () => call('PUT',
  '/v1/streams/' + encodeURIComponent(current) + '/channel-strategy', { strategy: $('strategy').value },
  $('control-result')));
// DELETE stops a pull, or ends a pushed session (its ingest websocket gets eos and closes "ended by operator")
$('stop-pull').addEventListener('click', () => call('DELETE', '/v1/streams/' + encodeURIComponent(current), null,
  $('control-result')));

// ---------- REACH tasks ----------
const taskCards = new Map();

function taskCard(key) {
  let card = taskCards.get(key);
  if (!card) {
    card = document.createElement('div');
    card.className = 'task';
    card.id = 'task-' + key;
    card.innerHTML = '<h3><span class="t-title"></span> <span class="badge t-state"></span></h3>'
      + '<p class="t-slot"></p><p class="t-next"></p><p class="t-delivery"></p>'
      + '<p class="controls"><button class="t-retry">Retry delivery</button> <span class="result t-result"></span></p>'
      + '<p class="t-alerts alert"></p><ul class="alert-list t-alert-list" id="alerts-' + key + '"></ul>'
      + '<ol class="timeline"></ol>';
    const cut = key.lastIndexOf('-'); // ids are numbers; a region name may hold a '-'
    const [region, id] = [key.substring(0, cut), key.substring(cut + 1)];
    card.querySelector('.t-retry').addEventListener('click', () => call('POST', '/v1/tasks/'
      + encodeURIComponent(region) + '/' + encodeURIComponent(id) + '/retry-delivery', null,
      card.querySelector('.t-result')));
    $('tasks').appendChild(card);
    taskCards.set(key, card);
  }
  return card;
}

function showTasks(snapshot) {
  for (const t of snapshot.tasks) {
    const card = taskCard(t.region + '-' + t.id);
    const q = (c) => card.querySelector('.' + c);
    text(q('t-title'), t.region + ' task ' + t.id + ' · entry ' + t.entry_id + ' · ' + t.language);
    text(q('t-state'), t.state);
    cls(q('t-state'), 'badge t-state state-' + t.state);
    text(q('t-slot'), 'slot ' + t.start_date + ' .. ' + t.end_date + ' (buffers ' + t.start_buffer_s + ' s / '
      + t.end_buffer_s + ' s); captions ' + t.captions_from + ' .. ' + t.cutoff_at);
    text(q('t-next'), 'next: ' + t.next.step + (t.next.at ? ' at ' + t.next.at : ''));
    const url = t.caption_url;
    text(q('t-delivery'), 'stream ' + t.stream_id + (t.stream_live ? ' (live)' : '') + ', last seq ' + t.last_seq
      + (url ? ' · captionUrl ' + url.destination + ' ' + url.state + ', confirmed seq ' + url.confirmed_seq + ', '
        + url.connections + ' connection(s)' + (url.detail ? ' (' + url.detail + ')' : '')
        : ' · captionUrl not connected')
      + (t.caption_asset_id ? ' · asset ' + t.caption_asset_id + ', accuracy ' + t.accuracy + '%' : '')
      + (t.error ? ' · error: ' + t.error : ''));
    const delivery = q('t-delivery');
    cls(delivery, 't-delivery' + (url && (url.state === 'refused' || url.state === 'incomplete') ? ' alert' : ''));
    delivery.dataset.state = url ? url.state : '';
    text(q('t-alerts'), (t.alerts || []).length ? 'alerts: ' + t.alerts.join(', ') : '');
    const subject = t.region + '/' + t.id;
    showAlertList(q('t-alert-list'), (snapshot.alerts || []).filter((a) => a.subject === subject && a.active),
      q('t-result'));
    // the trail only grows: new steps are appended; a step's time may arrive a snapshot after the step itself
    const timeline = q('timeline');
    t.timeline.forEach((step, i) => {
      let li = timeline.children[i];
      if (!li) {
        li = document.createElement('li');
        li.className = step.state ? 'state state-' + step.state : 'step';
        li.title = step.detail;
        timeline.appendChild(li);
      }
      text(li, step.kind + (step.seen_at ? ' ' + step.seen_at.substring(11, 19) : ''));
    });
  }
  $('no-tasks').hidden = taskCards.size > 0;
  showGlobalAlerts(snapshot.alerts);
}

// ---------- routing ----------
function route() {
  const hash = location.hash || '#/streams';
  for (const v of ['streams', 'stream', 'tasks']) $('view-' + v).hidden = true;
  $('alerts-panel').hidden = true;
  const one = hash.match(/^#\/stream\/(.+)$/);
  if (one) {
    const id = decodeURIComponent(one[1]);
    resetStream(id);
    $('view-stream').hidden = false;
    listen('view=stream&id=' + encodeURIComponent(id), showStream);
  } else if (hash === '#/tasks') {
    $('view-tasks').hidden = false;
    $('alerts-panel').hidden = false;
    listen('view=tasks', showTasks);
  } else {
    $('view-streams').hidden = false;
    $('alerts-panel').hidden = false;
    listen('view=streams', showStreams);
  }
}

window.addEventListener('hashchange', route);
route();

// kept for the browser tests' failure messages (and a curious operator's devtools)
window.consoleErrors = [];
window.addEventListener('error', (e) => window.consoleErrors.push(String(e.message)));
