/**
 * Browser script, part 2 of 3: the panels beside the diagram, each a function of the cursor:
 * the servers (role, epoch, last zxid), the znode tree on a chosen server, the client
 * operations with their results, the learner's event log around the cursor, the violations
 * with the checkers' explanations, the story of the failure, and the zxid chart of the run.
 */
export const CLIENT_PANELS_JS = String.raw`
Z.el = function (tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
Z.roleBadge = function (role) {
  var b = Z.el('span', 'role', role);
  b.style.background = Z.ROLE[role] || '#888';
  return b;
};

Z.drawServers = function () {
  var body = document.querySelector('#servers tbody');
  body.textContent = '';
  Z.D.servers.forEach(function (n) {
    var span = Z.lastAt(Z.D.roles[n], Z.state.t);
    var z = Z.lastAt(Z.D.zxids[n], Z.state.t);
    var tr = Z.el('tr');
    tr.dataset.server = n;
    tr.appendChild(Z.el('td', '', String(n)));
    var role = Z.el('td');
    role.appendChild(Z.roleBadge(span ? span[1] : 'DOWN'));
    tr.appendChild(role);
    tr.appendChild(Z.el('td', 'mono', span ? String(span[2]) : '-'));
    tr.appendChild(Z.el('td', 'mono', z ? Z.zx(z[1]) : '-'));
    body.appendChild(tr);
  });
};

Z.drawTree = function () {
  var n = Z.state.treeNode, st = Z.lastAt(Z.D.trees[n], Z.state.t);
  var body = document.querySelector('#tree tbody');
  var note = document.getElementById('tree-note');
  body.textContent = '';
  if (!st) { note.textContent = 'no tree yet'; return; }
  note.textContent = 'at ' + Z.zx(st[2]) + (st[3] ? ' (matches the replica\'s digest)'
    : ' (UNVERIFIED: differs from the replica\'s digest; a txn the replay never saw)');
  note.className = st[3] ? '' : 'warn';
  st[4].forEach(function (id) {
    var parts = Z.D.rows[id].split('\t');
    var tr = Z.el('tr');
    tr.appendChild(Z.el('td', 'mono', parts[0]));
    tr.appendChild(Z.el('td', 'mono', parts[1]));
    tr.appendChild(Z.el('td', 'mono', parts[2]));
    body.appendChild(tr);
  });
};

Z.drawOps = function () {
  var box = document.getElementById('ops');
  box.textContent = '';
  var t = Z.state.t, shown = [];
  for (var k = 0; k < Z.D.ops.length; k++) {
    var op = Z.D.ops[k];
    if (op[4] > t) break;
    shown.push(op);
  }
  shown.slice(-14).reverse().forEach(function (op) {
    var done = op[5] >= 0 && op[5] <= t;
    var text = 'client ' + op[0] + ' #' + op[1] + ' -> server ' + op[2] + ': ' + op[3] + '  ';
    var row = Z.el('div', done ? 'mono' : 'mono pending', text + (done ? '=> ' + op[6]
      : '… pending'));
    box.appendChild(row);
  });
};

Z.drawLog = function () {
  var box = document.getElementById('log');
  box.textContent = '';
  var row = Math.max(0, Z.state.row);
  var from = Math.max(0, row - 14), to = Math.min(Z.D.events.length, row + 16);
  for (var k = from; k < to; k++) {
    var e = Z.D.events[k];
    var who = e[2] < 0 ? '' : (e[2] >= 100 ? 'c' : 'n') + e[2];
    var div = Z.el('div', 'mono' + (k === Z.state.row ? ' now' : '') +
      (e[4].indexOf('VIOLATION') === 0 ? ' violation' : ''),
      (e[1] / 1000).toFixed(3) + ' #' + e[0] + ' ' + who + ' ' + e[4]);
    div.dataset.row = k;
    div.onclick = (function (r) { return function () { Z.seekRow(r); }; })(k);
    box.appendChild(div);
  }
  var now = box.querySelector('.now');
  if (now) box.scrollTop = now.offsetTop - box.offsetTop - box.clientHeight / 2;
};

Z.buildViolations = function () {
  var box = document.getElementById('violations');
  if (Z.D.violations.length === 0) {
    box.appendChild(Z.el('div', '', 'none: every checker held'));
    return;
  }
  Z.D.violations.forEach(function (v, k) {
    var div = Z.el('div', 'v');
    div.appendChild(Z.el('div', 'violation', '⚠ ' + v[0] + ' at ' + Z.ms(v[2])));
    div.appendChild(Z.el('div', 'mono', v[1]));
    div.dataset.violation = k;
    div.onclick = function () { Z.seekViolation(k); };
    box.appendChild(div);
  });
};

Z.buildStory = function () {
  var box = document.getElementById('story');
  if (Z.D.story.length === 0) { box.parentNode.style.display = 'none'; return; }
  Z.D.story.forEach(function (r) {
    var e = Z.D.events[r];
    var div = Z.el('div', 'mono' + (e[4].indexOf('VIOLATION') === 0 ? ' violation' : ''),
      (e[1] / 1000).toFixed(3) + ' ' + (e[2] < 0 ? '' : Z.who(e[2]) + ': ') + e[4]);
    div.onclick = function () { Z.seekRow(r); };
    box.appendChild(div);
  });
};

/** The zxid chart: each server's last applied zxid (by rank) over the whole run. */
Z.buildChart = function (root) {
  var width = Math.max(640, root.node().getBoundingClientRect().width), height = 130;
  var all = new Set();
  Z.D.servers.forEach(function (n) {
    (Z.D.zxids[n] || []).forEach(function (p) { all.add(p[1]); });
  });
  var ranks = Array.from(all).sort(function (a, b) { return a - b; });
  var rankOf = new Map(ranks.map(function (z, k) { return [z, k]; }));
  var svg = root.append('svg').attr('id', 'chart').attr('width', width).attr('height', height);
  var x = d3.scaleLinear().domain([0, Z.D.endMicros]).range([Z.MARGIN.left, width - 12]);
  var y = d3.scaleLinear().domain([0, Math.max(1, ranks.length - 1)]).range([height - 20, 8]);
  svg.append('g').attr('transform', 'translate(0,' + (height - 20) + ')')
    .call(d3.axisBottom(x).ticks(8).tickFormat(function (v) { return (v / 1e6) + ' s'; }));
  svg.append('text').attr('x', 6).attr('y', 14).text('last zxid');
  Z.D.faults.forEach(function (f) {
    svg.append('rect').attr('x', x(f[0])).attr('width', Math.max(1, x(f[1]) - x(f[0])))
      .attr('y', 8).attr('height', height - 28).attr('fill', '#e01b24').attr('opacity', 0.07);
  });
  var colors = d3.schemeTableau10;
  Z.D.servers.forEach(function (n, k) {
    var pts = (Z.D.zxids[n] || []).map(function (p) { return [p[0], rankOf.get(p[1])]; });
    svg.append('path').datum(pts).attr('fill', 'none').attr('stroke', colors[k % 10])
      .attr('stroke-width', 1.5).attr('d', d3.line().curve(d3.curveStepAfter)
        .x(function (p) { return x(p[0]); }).y(function (p) { return y(p[1]); }));
    svg.append('text').attr('x', 6).attr('y', 30 + 13 * k).attr('fill', colors[k % 10])
      .text('server ' + n);
  });
  Z.D.violations.forEach(function (v) {
    svg.append('line').attr('x1', x(v[2])).attr('x2', x(v[2])).attr('y1', 8)
      .attr('y2', height - 20).attr('stroke', '#c01c28').attr('stroke-width', 2);
  });
  Z.chartCursor = svg.append('line').attr('stroke', '#333').attr('y1', 8).attr('y2', height - 20);
  Z.chartX = x;
  svg.on('click', function (event) { Z.seek(Math.round(x.invert(d3.pointer(event)[0]))); });
};
`;
