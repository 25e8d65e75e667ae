/**
 * Browser script, part 1 of 3: the data, the lookups by time, and the space-time diagram (one
 * lane per server and client, time left to right, messages as arrows, role spans on the server
 * lanes, fault bands, violations as red marks) plus the zxid chart of the whole run. Plain
 * ES2020 run by the browser, kept as text here; it avoids template literals so it can live in
 * one. Tested in a real browser by test/browser/replay-page.test.ts.
 */
export const CLIENT_DIAGRAM_JS = String.raw`
var Z = {};
Z.D = JSON.parse(document.getElementById('zabsim-data').textContent);
Z.ROLE = { LOOKING: '#e5a50a', FOLLOWING: '#5d9cec', LEADING: '#1a5fb4', OBSERVING: '#99c1f1',
  DOWN: '#3d3846' };
Z.FAMILY = ['#9141ac', '#e66100', '#1c71d8', '#77767b', '#c0bfbc'];
Z.FAMILY_NAME = ['election (votes)', 'discovery and sync', 'broadcast (PROPOSAL/ACK/COMMIT)',
  'client', 'PING'];
Z.lanes = Z.D.servers.concat(Z.D.clients);
Z.evT = Z.D.events.map(function (e) { return e[1]; });
Z.msgAt = Z.D.messages.map(function (m) { return m[3]; });
Z.msgByRow = new Map();
Z.D.messages.forEach(function (m, k) { Z.msgByRow.set(m[5], k); });
Z.state = { t: 0, row: -1, playing: false, speed: 0.1, windowMicros: 100000,
  treeNode: Z.D.servers[0] };

/** First index whose value is greater than x (arr ascending). */
Z.upper = function (arr, x) {
  var lo = 0, hi = arr.length;
  while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] <= x) lo = mid + 1; else hi = mid; }
  return lo;
};
/** The last entry of a time-ordered list [[t, ...], ...] at or before t (undefined if none). */
Z.lastAt = function (list, t) {
  if (!list) return undefined;
  var lo = 0, hi = list.length;
  while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid][0] <= t) lo = mid + 1; else hi = mid; }
  return lo > 0 ? list[lo - 1] : undefined;
};
Z.zx = function (z) {
  var epoch = Math.floor(z / 4294967296), counter = z % 4294967296;
  return '0x' + z.toString(16) + ' (' + epoch + ':' + counter + ')';
};
Z.ms = function (micros) { return (micros / 1000).toFixed(3) + ' ms'; };
Z.who = function (n) { return n >= 100 ? 'client ' + n : 'server ' + n; };

Z.LANE_H = 30;
Z.MARGIN = { top: 26, left: 96, right: 12, bottom: 8 };

Z.buildDiagram = function (root) {
  var width = Math.max(640, root.node().getBoundingClientRect().width);
  var height = Z.MARGIN.top + Z.lanes.length * Z.LANE_H + Z.MARGIN.bottom;
  var svg = root.append('svg').attr('id', 'diagram').attr('width', width).attr('height', height);
  var defs = svg.append('defs');
  Z.FAMILY.forEach(function (color, k) {
    defs.append('marker').attr('id', 'arrow' + k).attr('viewBox', '0 0 10 10')
      .attr('refX', 9).attr('refY', 5).attr('markerWidth', 6).attr('markerHeight', 6)
      .attr('orient', 'auto').append('path').attr('d', 'M0,0L10,5L0,10z').attr('fill', color);
  });
  Z.y = d3.scaleBand().domain(Z.lanes).range([Z.MARGIN.top, height - Z.MARGIN.bottom])
    .paddingInner(0.25);
  Z.x = d3.scaleLinear().range([Z.MARGIN.left, width - Z.MARGIN.right]);
  Z.g = {
    lanes: svg.append('g'), faults: svg.append('g'), msgs: svg.append('g'),
    drops: svg.append('g'), marks: svg.append('g'), axis: svg.append('g')
      .attr('transform', 'translate(0,' + (Z.MARGIN.top - 4) + ')'),
    cursor: svg.append('line').attr('class', 'cursor').attr('stroke', '#c01c28')
      .attr('stroke-width', 1.5).attr('y1', Z.MARGIN.top - 4).attr('y2', height),
    labels: svg.append('g'),
  };
  Z.lanes.forEach(function (n) {
    Z.g.labels.append('text').attr('class', 'lane-label').attr('x', 6)
      .attr('y', Z.y(n) + Z.y.bandwidth() / 2 + 4).text(Z.who(n));
  });
  svg.on('click', function (event) {
    var px = d3.pointer(event)[0];
    if (px > Z.MARGIN.left) Z.seek(Math.round(Z.x.invert(px)));
  });
};

Z.laneMid = function (n) { return Z.y(n) + Z.y.bandwidth() / 2; };

/** Role spans of the server lanes within [t0, t1]. */
Z.roleSpans = function (t0, t1) {
  var out = [];
  Z.D.servers.forEach(function (n) {
    var spans = Z.D.roles[n] || [];
    for (var k = 0; k < spans.length; k++) {
      var from = spans[k][0], to = k + 1 < spans.length ? spans[k + 1][0] : Z.D.endMicros;
      if (to < t0 || from > t1) continue;
      out.push({ n: n, from: Math.max(from, t0), to: Math.min(to, t1), role: spans[k][1],
        epoch: spans[k][2] });
    }
  });
  return out;
};

/** Messages drawn in the window: delivered in it, or sent in it and still in flight. */
Z.visibleMessages = function (t0, t1) {
  var out = [], first = Z.upper(Z.msgAt, t0 - 1), cap = 2500;
  for (var k = first; k < Z.D.messages.length && out.length < cap; k++) {
    var m = Z.D.messages[k];
    if (m[3] > t1 + (t1 - t0)) break;
    if (m[2] <= t1) out.push(k);
  }
  return out;
};

Z.drawDiagram = function () {
  var s = Z.state, W = s.windowMicros;
  var t0 = Math.max(0, s.t - W * 0.75), t1 = t0 + W;
  Z.x.domain([t0, t1]);
  Z.g.axis.call(d3.axisTop(Z.x).ticks(8).tickFormat(function (v) { return (v / 1000) + ' ms'; }));
  var spans = Z.roleSpans(t0, t1);
  Z.g.lanes.selectAll('rect').data(spans).join('rect')
    .attr('x', function (d) { return Z.x(d.from); }).attr('y', function (d) { return Z.y(d.n); })
    .attr('width', function (d) { return Math.max(0, Z.x(d.to) - Z.x(d.from)); })
    .attr('height', Z.y.bandwidth()).attr('fill', function (d) { return Z.ROLE[d.role] || '#ccc'; })
    .attr('opacity', 0.28);
  Z.g.lanes.selectAll('text').data(spans.filter(function (d) {
    return Z.x(d.to) - Z.x(d.from) > 90;
  })).join('text').attr('x', function (d) { return Z.x(d.from) + 4; })
    .attr('y', function (d) { return Z.y(d.n) + 11; }).attr('fill', '#333')
    .text(function (d) { return d.role + ' e' + d.epoch; });
  Z.drawFaults(t0, t1);
  Z.drawMessages(t0, t1);
  Z.drawMarks(t0, t1);
  Z.g.cursor.attr('x1', Z.x(s.t)).attr('x2', Z.x(s.t));
};

Z.drawFaults = function (t0, t1) {
  var bands = Z.D.faults.filter(function (f) { return f[1] >= t0 && f[0] <= t1; });
  var top = Z.MARGIN.top, bottom = Z.y.range()[1];
  var g = Z.g.faults.selectAll('g.fault').data(bands).join(function (enter) {
    var e = enter.append('g').attr('class', 'fault');
    e.append('rect'); e.append('text'); e.append('title');
    return e;
  });
  g.select('rect').attr('x', function (f) { return Z.x(Math.max(f[0], t0)); }).attr('y', top)
    .attr('width', function (f) {
      return Math.max(2, Z.x(Math.min(f[1], t1)) - Z.x(Math.max(f[0], t0)));
    }).attr('height', bottom - top).attr('fill', '#e01b24').attr('opacity', 0.08);
  g.select('text').attr('x', function (f) { return Z.x(Math.max(f[0], t0)) + 3; })
    .attr('y', bottom - 2).attr('fill', '#a51d2d').text(function (f) {
      return f[2].length > 60 ? f[2].slice(0, 58) + '…' : f[2];
    });
  g.select('title').text(function (f) { return f[2]; });
};

Z.drawMessages = function (t0, t1) {
  var current = Z.msgByRow.get(Z.state.row);
  var ks = Z.visibleMessages(t0, t1);
  Z.g.msgs.selectAll('line').data(ks, function (k) { return k; }).join('line')
    .attr('x1', function (k) { return Z.x(Z.D.messages[k][2]); })
    .attr('y1', function (k) { return Z.laneMid(Z.D.messages[k][0]); })
    .attr('x2', function (k) { return Z.x(Z.D.messages[k][3]); })
    .attr('y2', function (k) { return Z.laneMid(Z.D.messages[k][1]); })
    .attr('stroke', function (k) { return Z.FAMILY[Z.D.messages[k][4]]; })
    .attr('stroke-width', function (k) { return k === current ? 3 : 1.2; })
    .attr('opacity', function (k) { return Z.D.messages[k][3] <= Z.state.t ? 0.9 : 0.35; })
    .attr('marker-end', function (k) { return 'url(#arrow' + Z.D.messages[k][4] + ')'; })
    .on('click', function (event, k) { event.stopPropagation(); Z.seekRow(Z.D.messages[k][5]); })
    .selectAll('title').data(function (k) { return [k]; }).join('title')
    .text(function (k) { var e = Z.D.events[Z.D.messages[k][5]]; return e ? e[4] : ''; });
  var drops = Z.D.drops.filter(function (d) { return d[2] >= t0 && d[2] <= t1; });
  Z.g.drops.selectAll('text').data(drops).join('text').attr('fill', '#c01c28')
    .attr('x', function (d) { return Z.x(d[2]) - 4; })
    .attr('y', function (d) { return Z.laneMid(d[1]) + 4; }).text('✕');
};

Z.drawMarks = function (t0, t1) {
  var byTime = new Map();
  Z.D.violations.forEach(function (v) {
    if (v[2] < t0 || v[2] > t1) return;
    var names = byTime.get(v[2]) || [];
    if (names.indexOf(v[0]) < 0) names.push(v[0]);
    byTime.set(v[2], names);
  });
  var vs = Array.from(byTime.entries());
  var g = Z.g.marks.selectAll('g.vmark').data(vs).join(function (enter) {
    var e = enter.append('g').attr('class', 'vmark');
    e.append('line'); e.append('text');
    return e;
  });
  g.select('line').attr('x1', function (v) { return Z.x(v[0]); })
    .attr('x2', function (v) { return Z.x(v[0]); }).attr('y1', Z.MARGIN.top)
    .attr('y2', Z.y.range()[1]).attr('stroke', '#c01c28').attr('stroke-width', 3)
    .attr('stroke-dasharray', '6,3');
  g.select('text').attr('x', function (v) { return Z.x(v[0]) + 4; })
    .attr('y', Z.MARGIN.top + 10).attr('fill', '#c01c28').attr('font-weight', 700)
    .attr('text-anchor', function (v) {
      return Z.x(v[0]) > Z.x.range()[1] - 220 ? 'end' : 'start';
    })
    .text(function (v) { return '⚠ VIOLATION: ' + v[1].join(', '); });
};
`;
