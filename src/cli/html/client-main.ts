/**
 * Browser script, part 3 of 3: the page's skeleton, the controls (play, pause, step, scrub,
 * speed, window, next violation, keyboard) and the cursor: one time and one event row, from
 * which every view redraws. `window.zabsim` exposes seek and the state for tests.
 */
export const CLIENT_MAIN_JS = String.raw`
Z.skeleton = function () {
  var app = document.getElementById('app');
  app.innerHTML =
    '<header><h1></h1><span id="verdict" class="badge"></span><span id="hint">space: play or' +
    ' pause; arrows: step; click an arrow, a line or the chart to jump</span></header>' +
    '<div id="controls"><button id="start" title="to the start">« start</button>' +
    '<button id="back" title="previous event">‹ step</button>' +
    '<button id="play">▶ play</button><button id="next" title="next event">step ›</button>' +
    '<button id="nextv" title="next violation">⚠ next violation</button>' +
    '<input id="slider" type="range" min="0" step="1">' +
    '<span id="clock" class="mono"></span>' +
    '<label>speed <select id="speed"><option value="0.01">0.01×</option>' +
    '<option value="0.1" selected>0.1×</option><option value="1">1×</option>' +
    '<option value="10">10×</option></select></label>' +
    '<label>window <select id="window"><option value="20000">20 ms</option>' +
    '<option value="100000" selected>100 ms</option><option value="500000">500 ms</option>' +
    '<option value="2000000">2 s</option><option value="10000000">10 s</option>' +
    '</select></label></div>' +
    '<main><div><div class="panel"><h2>Space-time diagram</h2><div id="diagram-wrap"></div>' +
    '<div class="legend" id="legend"></div></div>' +
    '<div class="panel"><h2>Each server\'s last applied zxid over the run</h2>' +
    '<div id="chart-wrap"></div></div>' +
    '<div class="panel"><h2>What happens (the learner\'s log)</h2><div id="log"></div></div>' +
    '</div><div>' +
    '<div class="panel"><h2>Violations</h2><div id="violations"></div></div>' +
    '<div class="panel"><h2>Servers</h2><table id="servers"><thead><tr><th>server</th>' +
    '<th>role</th><th>epoch</th><th>last zxid</th></tr></thead><tbody></tbody></table></div>' +
    '<div class="panel"><h2>Znode tree on <select id="tree-server"></select></h2>' +
    '<div id="tree-note"></div><table id="tree"><thead><tr><th>path</th><th>data</th>' +
    '<th>version</th></tr></thead><tbody></tbody></table></div>' +
    '<div class="panel"><h2>The story of the failure</h2><div id="story"></div></div>' +
    '<div class="panel"><h2>Client operations</h2><div id="ops"></div></div>' +
    '</div></main>';
  document.querySelector('header h1').textContent = 'zabsim replay: ' + Z.D.title;
  var verdict = document.getElementById('verdict');
  verdict.textContent = Z.D.verdict;
  verdict.className = 'badge ' + (Z.D.violations.length > 0 ? 'bad'
    : Z.D.verdict.indexOf('held') >= 0 ? 'ok' : 'none');
  var legend = document.getElementById('legend');
  Z.FAMILY_NAME.forEach(function (name, k) {
    var s = Z.el('span'), i = Z.el('i');
    i.style.background = Z.FAMILY[k];
    s.appendChild(i); s.appendChild(document.createTextNode(name)); legend.appendChild(s);
  });
  Object.keys(Z.ROLE).forEach(function (role) { legend.appendChild(Z.roleBadge(role)); });
  var pick = document.getElementById('tree-server');
  Z.D.servers.forEach(function (n) { pick.appendChild(Z.el('option', '', String(n))); });
  pick.onchange = function () { Z.state.treeNode = Number(pick.value); Z.drawTree(); };
};

/** Moves the cursor to time t (the row becomes the last event at or before t). */
Z.seek = function (t) {
  Z.state.t = Math.max(0, Math.min(Z.D.endMicros, t));
  Z.state.row = Z.upper(Z.evT, Z.state.t) - 1;
  Z.render();
};
/** Moves the cursor to event row r. */
Z.seekRow = function (r) {
  if (r < 0 || r >= Z.D.events.length) return;
  Z.state.row = r;
  Z.state.t = Z.evT[r];
  Z.render();
};
Z.seekViolation = function (k) {
  var v = Z.D.violations[k];
  if (!v) return;
  if (v[3].length > 0) Z.seekRow(v[3][0]); else Z.seek(v[2]);
};

Z.render = function () {
  var s = Z.state;
  document.getElementById('slider').value = String(s.t);
  var e = Z.D.events[s.row];
  document.getElementById('clock').textContent = Z.ms(s.t) + (e ? '  #' + e[0] : '');
  Z.drawDiagram();
  Z.chartCursor.attr('x1', Z.chartX(s.t)).attr('x2', Z.chartX(s.t));
  Z.drawServers();
  Z.drawTree();
  Z.drawOps();
  Z.drawLog();
};

Z.togglePlay = function () {
  Z.state.playing = !Z.state.playing;
  document.getElementById('play').textContent = Z.state.playing ? '❚❚ pause' : '▶ play';
  if (!Z.state.playing) return;
  var last = performance.now();
  var frame = function (now) {
    if (!Z.state.playing) return;
    var advance = (now - last) * 1000 * Z.state.speed;
    last = now;
    if (Z.state.t >= Z.D.endMicros) { Z.togglePlay(); return; }
    Z.seek(Z.state.t + advance);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
};

Z.wire = function () {
  var slider = document.getElementById('slider');
  slider.max = String(Z.D.endMicros);
  slider.oninput = function () { Z.seek(Number(slider.value)); };
  document.getElementById('start').onclick = function () { Z.seek(0); };
  document.getElementById('back').onclick = function () { Z.seekRow(Z.state.row - 1); };
  document.getElementById('next').onclick = function () { Z.seekRow(Z.state.row + 1); };
  document.getElementById('play').onclick = Z.togglePlay;
  document.getElementById('nextv').onclick = function () {
    var k = Z.D.violations.findIndex(function (v) { return v[2] > Z.state.t; });
    Z.seekViolation(k >= 0 ? k : 0);
  };
  document.getElementById('speed').onchange = function (ev) {
    Z.state.speed = Number(ev.target.value);
  };
  document.getElementById('window').onchange = function (ev) {
    Z.state.windowMicros = Number(ev.target.value);
    Z.render();
  };
  document.addEventListener('keydown', function (ev) {
    if (ev.target && ev.target.tagName === 'SELECT') return;
    if (ev.key === ' ') { ev.preventDefault(); Z.togglePlay(); }
    if (ev.key === 'ArrowRight') { ev.preventDefault(); Z.seekRow(Z.state.row + 1); }
    if (ev.key === 'ArrowLeft') { ev.preventDefault(); Z.seekRow(Z.state.row - 1); }
  });
};

Z.skeleton();
Z.buildDiagram(d3.select('#diagram-wrap'));
Z.buildChart(d3.select('#chart-wrap'));
Z.buildViolations();
Z.buildStory();
Z.wire();
Z.seekRow(0);
window.zabsim = { seek: Z.seek, seekRow: Z.seekRow, seekViolation: Z.seekViolation, state: Z.state,
  data: Z.D };
document.body.dataset.ready = '1';
`;
