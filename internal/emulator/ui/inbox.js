// Keeps the inbox current without a reload: every few seconds it asks
// ?format=json for the version of what the page shows and, when that changed,
// fetches ?part=live (server-rendered and escaped, like the page itself) and
// swaps it in. Cards that were not there before flash once; open <details>
// stay open. When the emulator is unreachable it says so and keeps trying.
(() => {
  "use strict";
  const interval = Number(document.body.dataset.pollMs) || 2000;
  const status = document.getElementById("status");
  const base = location.pathname;
  // The page's own requests carry its query on: admin_token (an emulator
  // with an admin token takes it in the URL, since a browser cannot send the
  // header) and remote_images.
  const withToken = (query) => {
    const params = new URLSearchParams(location.search);
    for (const [k, v] of new URLSearchParams(query)) params.set(k, v);
    return "?" + params.toString();
  };
  let failures = 0;

  const setStatus = (state, text, title) => {
    status.dataset.state = state;
    status.textContent = text;
    status.title = title;
  };

  const keys = (root, selector) =>
    new Set(Array.from(root.querySelectorAll(selector), (el) => el.dataset.key));

  async function get(query) {
    const res = await fetch(base + withToken(query), { cache: "no-store", headers: { Accept: "*/*" } });
    if (!res.ok) throw new Error("HTTP " + res.status);
    return res;
  }

  async function refresh() {
    const live = document.getElementById("live");
    const { version } = await (await get("?format=json")).json();
    if (version === live.dataset.version) return;
    const holder = document.createElement("template");
    holder.innerHTML = await (await get("?part=live")).text();
    const next = holder.content.getElementById("live");
    if (!next) throw new Error("unexpected answer to ?part=live");
    const seen = keys(live, "article[data-key]");
    const open = keys(live, "details[open][data-key]");
    for (const el of next.querySelectorAll("article[data-key]")) {
      if (!seen.has(el.dataset.key)) el.classList.add("fresh");
    }
    for (const el of next.querySelectorAll("details[data-key]")) {
      if (open.has(el.dataset.key)) el.open = true;
    }
    live.replaceWith(next);
  }

  async function tick() {
    try {
      await refresh();
      failures = 0;
      setStatus("live", "live", "last checked " + new Date().toLocaleTimeString());
    } catch (err) {
      failures++;
      setStatus("offline", "emulator unreachable, retrying", String(err));
    }
    // Back off while the emulator is away, up to 8 intervals.
    setTimeout(tick, interval * 2 ** Math.min(failures, 3));
  }

  setTimeout(tick, interval);
})();
