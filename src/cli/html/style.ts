/** The replay page's stylesheet, inlined into the page (no network to open it). */
export const PAGE_CSS = String.raw`
:root { --bg: #fbfbfa; --ink: #1f2328; --dim: #6b7280; --line: #d8dadd; --bad: #c0392b; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; gap: 16px; align-items: baseline; padding: 10px 16px 4px; }
header h1 { font-size: 17px; margin: 0; }
.badge { padding: 2px 8px; border-radius: 10px; font-weight: 600; }
.badge.ok { background: #d5f5e3; color: #196f3d; }
.badge.bad { background: #fadbd8; color: var(--bad); }
.badge.none { background: #eaecee; color: var(--dim); }
#controls { display: flex; gap: 8px; align-items: center; padding: 6px 16px;
  border-bottom: 1px solid var(--line); flex-wrap: wrap; }
#controls button { font: inherit; padding: 3px 9px; border: 1px solid var(--line);
  background: white; border-radius: 4px; cursor: pointer; }
#controls button:hover { background: #f0f3f4; }
#slider { flex: 1; min-width: 240px; }
#clock { font-variant-numeric: tabular-nums; min-width: 150px; }
main { display: grid; grid-template-columns: minmax(600px, 2fr) minmax(340px, 1fr); gap: 12px;
  padding: 10px 16px; }
.panel { background: white; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px;
  margin-bottom: 10px; }
.panel h2 { font-size: 13px; margin: 0 0 6px; color: var(--dim); text-transform: uppercase;
  letter-spacing: .04em; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 2px 6px; border-bottom: 1px solid #f0f1f2; }
th { color: var(--dim); font-weight: 500; }
.mono { font-family: ui-monospace, monospace; font-size: 12px; }
.role { padding: 1px 6px; border-radius: 3px; color: white; font-weight: 600; font-size: 11px; }
#log { max-height: 300px; overflow-y: auto; }
#log div, #story div, #violations div { padding: 2px 4px; cursor: pointer; border-radius: 3px; }
#log div:hover, #story div:hover, #violations div:hover { background: #f2f4f4; }
#log .now { background: #fef9e7; outline: 1px solid #f4d03f; }
.violation { color: var(--bad); font-weight: 600; }
#violations .v { border-left: 3px solid var(--bad); margin-bottom: 4px; }
#ops { max-height: 220px; overflow-y: auto; }
#story { max-height: 260px; overflow-y: auto; }
#violations { max-height: 220px; overflow-y: auto; }
.pending { color: var(--dim); font-style: italic; }
.warn { color: #9a7d0a; }
svg text { font: 11px system-ui, sans-serif; }
.lane-label { font-weight: 600; }
.legend span { display: inline-block; margin-right: 12px; }
.legend i { display: inline-block; width: 14px; height: 4px; margin-right: 4px;
  vertical-align: middle; }
#diagram-wrap { position: relative; }
#hint { color: var(--dim); font-size: 12px; }
`;
