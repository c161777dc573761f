// wire desk: live incoming list (server-sent events) and keyboard navigation. No build step.
const list = document.getElementById("incoming");
const liveLabel = document.getElementById("live");
const count = document.getElementById("count");

function rows() { return Array.from(document.querySelectorAll(".row")); }

function setLive(state, text) {
  if (!liveLabel) return;
  liveLabel.dataset.state = state;
  liveLabel.textContent = text;
}

// --- live updates -------------------------------------------------------------------------
function follow() {
  const base = list.dataset.events;
  let lastSeq = list.dataset.seq || "0";
  let source = null;

  function url() {
    const u = new URL(base, location.href);
    u.searchParams.set("after", lastSeq);
    return u.toString();
  }

  function open() {
    source = new EventSource(url());
    source.addEventListener("ready", () => setLive("live", "live"));
    source.addEventListener("row", (e) => {
      const data = JSON.parse(e.data);
      const old = list.querySelector(`.row[data-id="${CSS.escape(data.id)}"]`);
      const wasSelected = old && old.classList.contains("selected");
      if (old) old.remove();
      const tpl = document.createElement("template");
      tpl.innerHTML = data.html.trim();
      const row = tpl.content.firstElementChild;
      row.classList.add("fresh");
      if (wasSelected) row.classList.add("selected");
      list.prepend(row);
      if (count) count.textContent = String(rows().length);
      lastSeq = e.lastEventId || String(data.seq);
      list.dataset.seq = lastSeq;
    });
    source.addEventListener("gone", (e) => {
      // the story changed and the filters no longer admit it (killed, purged): its row leaves
      const data = JSON.parse(e.data);
      const old = list.querySelector(`.row[data-id="${CSS.escape(data.id)}"]`);
      if (old) old.remove();
      if (count) count.textContent = String(rows().length);
      lastSeq = e.lastEventId || String(data.seq);
      list.dataset.seq = lastSeq;
    });
    source.addEventListener("seq", (e) => {
      lastSeq = e.lastEventId || e.data;
      list.dataset.seq = lastSeq;
    });
    source.onerror = () => {
      setLive("down", "reconnecting…");
      // The browser retries by itself (sending Last-Event-ID); if it gave up, start again
      // from the last change this page has seen.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(open, 1000);
      }
    };
  }
  open();
  window.wireDesk = { get lastSeq() { return lastSeq; } };
}
if (list && list.dataset.events) follow();

// --- keyboard -----------------------------------------------------------------------------
function move(step) {
  const all = rows();
  if (!all.length) return;
  let i = all.findIndex((r) => r.classList.contains("selected"));
  if (i >= 0) all[i].classList.remove("selected");
  i = Math.max(0, Math.min(all.length - 1, i < 0 ? 0 : i + step));
  all[i].classList.add("selected");
  all[i].scrollIntoView({ block: "nearest" });
  all[i].querySelector("a").focus({ preventScroll: true });
}

document.addEventListener("keydown", (e) => {
  const t = e.target;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) {
    if (e.key === "Escape") t.blur();
    return;
  }
  if (e.key === "j") { move(1); e.preventDefault(); }
  else if (e.key === "k") { move(-1); e.preventDefault(); }
  else if (e.key === "Enter") {
    const sel = document.querySelector(".row.selected a");
    if (sel) { location.href = sel.href; e.preventDefault(); }
  } else if (e.key === "/") {
    const q = document.getElementById("q");
    if (q) { q.focus(); q.select(); e.preventDefault(); }
    else { location.href = "/desk#q"; }
  } else if (e.key === "o") { location.href = "/desk/ops"; }
  else if (e.key === "g") { location.href = "/desk"; }
});
