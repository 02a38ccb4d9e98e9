"""The live view page: the MJPEG stream, a table of stats polled from /stats and links to /snapshot.jpg and /stats
(plain HTML + a little JS).

Rows a job does not report stay "-": the kitchen fills coverage and stirrer, the sorting line its counters
(items, decisions, commands fired and missed, the ejection queue) and a list of its decided items."""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>foodcam live</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1rem; background: #111; color: #eee; }
  main { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
  img { max-width: 100%; border: 1px solid #444; background: #000; }
  table { border-collapse: collapse; min-width: 18rem; }
  td { padding: 2px 8px; border-bottom: 1px solid #333; }
  td:first-child { color: #aaa; }
  #status.down { color: #f66; }
  pre { font-size: 0.8rem; max-height: 12rem; overflow: auto; }
  a { color: #8cf; }
</style>
</head>
<body>
<h1>foodcam <small id="status">connecting</small></h1>
<main>
  <img id="stream" src="/stream" alt="live annotated stream">
  <section>
    <table id="stats">
      <tr><td>source</td><td id="source">-</td></tr>
      <tr><td>model</td><td id="model">-</td></tr>
      <tr><td>frames</td><td id="frames">-</td></tr>
      <tr><td>fps</td><td id="fps">-</td></tr>
      <tr><td>latency</td><td id="latency">-</td></tr>
      <tr><td>stages (ms)</td><td id="stages">-</td></tr>
      <tr><td>dropped</td><td id="dropped">-</td></tr>
      <tr><td>food coverage</td><td id="coverage">-</td></tr>
      <tr><td>stirrer</td><td id="stirrer">-</td></tr>
      <tr><td>line</td><td id="line">-</td></tr>
      <tr><td>items</td><td id="items">-</td></tr>
      <tr><td>commands</td><td id="commands">-</td></tr>
    </table>
    <p><a href="/snapshot.jpg" download>snapshot.jpg</a> (the latest frame) · <a href="/stats">/stats</a> (JSON)</p>
    <h2>events</h2>
    <pre id="events"></pre>
  </section>
</main>
<script>
function set(id, text) { document.getElementById(id).textContent = text; }
function fmt(v, digits) { return (v === null || v === undefined) ? "-" : Number(v).toFixed(digits); }
async function poll() {
  try {
    const r = await fetch("/stats", {cache: "no-store"});
    const s = await r.json();
    set("status", "live"); document.getElementById("status").className = "";
    set("source", s.source || "-"); set("model", s.model || "-");
    set("frames", String(s.frames)); set("fps", fmt(s.fps, 1));
    set("latency", s.latency_ms == null ? "-" : fmt(s.latency_ms, 0) + " ms");
    const st = s.stages_ms || {};
    set("stages", Object.keys(st).filter(k => st[k] != null).map(k => k + " " + fmt(st[k], 1)).join(", ") || "-");
    set("dropped", s.dropped == null ? "-" : String(s.dropped));
    const a = s.analytics;
    set("coverage", a && a.coverage != null ? fmt(100 * a.coverage, 0) + " %" : "-");
    set("stirrer", a ? (a.stirrer.present ? "present" : "absent") : "-");
    const n = s.line;
    set("line", s.line_name || "-");
    set("items", n ? `${n.items}: reject ${n.rejected}, pass ${n.passed}, divert ${n.diverted}` : "-");
    set("commands", n ? `fired ${n.fired}, missed ${n.missed}, queued ${n.pending}` : "-");
    set("events", (s.events || []).slice().reverse().map(e => e.event === "item"
      ? `item #${e.id} ${e.decision || "-"} ${e.outcome}` + (e.p_rotten == null ? "" : ` P(rotten) ${fmt(e.p_rotten, 2)}`)
      : "#" + e.frame + " " + e.event).join("\\n"));
  } catch (e) {
    set("status", "disconnected"); document.getElementById("status").className = "down";
  }
  setTimeout(poll, 1000);
}
poll();
</script>
</body>
</html>
"""
