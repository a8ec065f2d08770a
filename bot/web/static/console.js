// The chair's console: signs in (Telegram Mini App initData, or the cookie of a sign-in link),
// polls the list every second and sends the chair's actions with the session's CSRF token.
// Plain JS, nothing loaded from elsewhere; every name is shown with textContent (never HTML).
"use strict";
(() => {
  const POLL_MS = 1000;
  const RETRY_MS = 2000;
  const $ = (id) => document.getElementById(id);
  let session = null;   // the Mini App's session id (its webview may not keep cookies)
  let csrf = null;
  let L = {};           // labels in the organiser's language, from the server
  let snap = null;      // the last state
  let receivedAt = 0;   // when it arrived (this clock, seconds)
  let busy = false;
  let stopped = false;
  let dialogYes = null;

  const fmt = (text, values) => String(text || "").replace(/\{(\w+)\}/g,
    (whole, key) => (key in values ? String(values[key]) : whole));

  function clock(seconds) {
    const total = Math.round(seconds);
    const sign = total < 0 ? "-" : "";
    const abs = Math.abs(total);
    return sign + Math.floor(abs / 60) + ":" + String(abs % 60).padStart(2, "0");
  }

  // Telegram gives a Mini App its initData in the URL fragment (#tgWebAppData=...); its own
  // script (not loaded here: no external scripts) would expose it as Telegram.WebApp.initData.
  function telegramInitData() {
    const webApp = window.Telegram && window.Telegram.WebApp;
    if (webApp && webApp.initData) return webApp.initData;
    const fragment = location.hash.replace(/^#/, "");
    if (!fragment) return null;
    const data = new URLSearchParams(fragment).get("tgWebAppData");
    if (data) history.replaceState(null, "", location.pathname + location.search);
    return data || null;
  }

  function headers(json) {
    const h = {};
    if (json) h["Content-Type"] = "application/json";
    if (csrf) h["X-CSRF-Token"] = csrf;
    if (session) h["X-Console-Session"] = session;
    return h;
  }

  async function answer(response) {
    try { return await response.json(); } catch (e) { return {}; }
  }

  function notice(text) {
    const box = $("notice");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function stop(text) {
    stopped = true;
    $("console").hidden = true;
    $("sign-out").hidden = true;
    notice(text);
  }

  async function start() {
    const initData = telegramInitData();
    let response;
    try {
      response = initData
        ? await fetch("/console/webapp", { method: "POST", headers: headers(true),
                                           body: JSON.stringify({ initData }) })
        : await fetch("/console/me", { headers: headers(false) });
    } catch (e) {
      notice("…");
      setTimeout(start, RETRY_MS);
      return;
    }
    const me = await answer(response);
    if (!response.ok) { stop(me.message || String(response.status)); return; }
    session = me.session || null;
    csrf = me.csrf;
    L = me.labels || {};
    document.documentElement.lang = L.language || "en";
    document.documentElement.dir = L.rtl ? "rtl" : "ltr";
    document.title = L.title;
    $("title").textContent = L.title;
    $("done").textContent = "■ " + L.done;
    $("pause").textContent = "‖ " + L.pause;
    $("resume").textContent = "▶ " + L.resume;
    $("skip").textContent = "» " + L.skip;
    $("close").textContent = L.close_list;
    $("open").textContent = L.open_list;
    $("budget").textContent = L.budget;
    $("sign-out").textContent = L.sign_out;
    $("queue-title").textContent = L.list;
    $("queue-empty").textContent = L.nobody_waiting;
    $("dialog-no").textContent = L.cancel;
    $("console").hidden = false;
    $("sign-out").hidden = false;
    notice("");
    poll();
    setInterval(tick, 250);
  }

  async function poll() {
    if (stopped) return;
    try {
      const response = await fetch("/console/state", { headers: headers(false) });
      const body = await answer(response);
      if (response.status === 401 || response.status === 403) { stop(body.message); return; }
      if (response.ok) { show(body); notice(""); } else { notice(body.message || L.offline); }
      setTimeout(poll, POLL_MS);
    } catch (e) {
      notice(L.offline);
      setTimeout(poll, RETRY_MS);
    }
  }

  function show(state) {
    snap = state;
    receivedAt = Date.now() / 1000;
    const current = state.current;
    const queue = state.queue || [];
    $("list-state").textContent = L.list + " · " + fmt(L.waiting, {
      state: state.open ? L.open : L.closed, count: queue.length });
    $("speaker-name").textContent = current ? current.name : L.nobody_speaking;
    $("speaker-detail").textContent = current
      ? [current.delegation, state.current_label].filter(Boolean).join(" · ") : "";
    const next = state.next_button;
    $("next").hidden = Boolean(current);
    $("next").disabled = !next;
    $("next").textContent = "▶ " + (next ? next.label : L.nobody_waiting);
    for (const id of ["done", "skip"]) $(id).hidden = !current;
    $("pause").hidden = !current || current.paused;
    $("resume").hidden = !current || !current.paused;
    $("close").hidden = !state.open;
    $("open").hidden = state.open;
    const budget = $("budget-left");
    budget.textContent = fmt(L.budget_left, { left: state.budget_left_text });
    budget.classList.toggle("beyond", Boolean(state.budget && state.budget.beyond));
    renderQueue(queue);
    tick();
  }

  function renderQueue(queue) {
    const list = $("queue");
    list.replaceChildren();
    $("queue-empty").hidden = queue.length > 0;
    queue.forEach((request, index) => {
      const item = document.createElement("li");
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = request.position + ". " + request.name
        + (request.delegation ? " (" + request.delegation + ")" : "");
      const detail = document.createElement("small");
      detail.textContent = [request.category_label, request.topic].filter(Boolean).join(" · ");
      who.appendChild(detail);
      item.appendChild(who);
      item.appendChild(button("↑", L.move_up, index === 0, () => act({
        action: "move", request_id: request.id, from: request.position,
        to: request.position - 1 })));
      item.appendChild(button("↓", L.move_down, index === queue.length - 1, () => act({
        action: "move", request_id: request.id, from: request.position,
        to: request.position + 1 })));
      item.appendChild(button("✕", L.remove, false, () => ask(
        fmt(L.remove_question, { name: request.name }), "", L.remove,
        () => act({ action: "remove", request_id: request.id, position: request.position }))));
      list.appendChild(item);
    });
  }

  function button(text, label, disabled, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.disabled = disabled;
    b.addEventListener("click", onClick);
    return b;
  }

  function tick() {
    const countdown = $("countdown");
    const current = snap && snap.current;
    if (!current) { countdown.textContent = ""; countdown.className = ""; return; }
    let left = current.remaining_seconds;
    if (!current.paused) left -= Date.now() / 1000 - receivedAt;
    let text;
    let phase;
    if (current.paused) { text = fmt(L.paused, { left: clock(Math.max(0, left)) }); phase = "paused"; }
    else if (left < 0) { text = fmt(L.overrun, { overrun: clock(-left) }); phase = "overrun"; }
    else {
      text = fmt(L.left, { left: clock(left) });
      phase = left <= current.warn_seconds ? "warning" : "";
    }
    countdown.textContent = text;
    countdown.className = phase;
  }

  function ask(text, question, yesLabel, onYes) {
    $("dialog-text").textContent = text;
    $("dialog-question").textContent = question;
    $("dialog-yes").textContent = yesLabel;
    dialogYes = onYes;
    $("dialog").hidden = false;
    $("dialog-no").focus();
  }

  function closeDialog() {
    $("dialog").hidden = true;
    dialogYes = null;
  }

  async function act(body) {
    if (busy || stopped) return;
    busy = true;
    $("message").textContent = "";
    try {
      const response = await fetch("/console/action", {
        method: "POST", headers: headers(true), body: JSON.stringify(body) });
      const result = await answer(response);
      if (response.status === 401) { stop(result.message); return; }
      if (result.state) show(result.state);
      if (!response.ok) { $("message").textContent = result.message || String(response.status); return; }
      if (result.message) $("message").textContent = result.message;
      const confirm = result.confirm;
      if (confirm) {
        ask(confirm.text, confirm.question, confirm.confirm_label, () => act({
          action: "next", request_id: confirm.request_id, confirm: true }));
      }
    } catch (e) {
      $("message").textContent = L.offline;
    } finally {
      busy = false;
    }
  }

  async function signOut() {
    try {
      await fetch("/console/signout", { method: "POST", headers: headers(true), body: "{}" });
    } finally {
      session = null;
      stop(L.signed_out);
    }
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-action]");
    if (!target || target.disabled) return;
    const action = target.dataset.action;
    const current = snap && snap.current;
    if (action === "signout") { signOut(); return; }
    if (action === "next") {
      const next = snap && snap.next_button;
      if (next) act({ action: "next", request_id: next.id });
      return;
    }
    if (["done", "pause", "resume", "skip"].includes(action)) {
      if (current) act({ action, request_id: current.id });
      return;
    }
    act({ action });
  });
  $("dialog-yes").addEventListener("click", () => { const yes = dialogYes; closeDialog(); if (yes) yes(); });
  $("dialog-no").addEventListener("click", closeDialog);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") closeDialog(); });

  start();
})();
