/* The room screen and the booth view: live from the bot's Server-Sent Events.
 *
 * The countdown is computed here from the server's timestamps (started_at, pauses, limit)
 * and the server's `now`, corrected by this browser's clock offset, so every screen shows
 * the same second. Every dynamic text is set with textContent (never as HTML).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("screen-data").textContent);
  var L = data.labels;
  var view = data.view;
  var MAX_NEXT = view === "booth" ? 8 : 5;
  var RETRY_MS = 3000;

  var snap = null;
  var offsetMs = 0;      // server clock minus this browser's clock
  var source = null;
  var gone = false;
  var clockFormat = null;
  var shown = {};        // element id -> text last written (avoid needless DOM writes)

  function el(id) { return document.getElementById(id); }

  function setText(id, text) {
    var node = el(id);
    if (!node || shown[id] === text) { return; }
    shown[id] = text;
    node.textContent = text;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function mmss(seconds) {
    var total = Math.max(0, seconds);
    var minutes = Math.floor(total / 60);
    var rest = total % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function serverNow() { return (Date.now() + offsetMs) / 1000; }

  function categoryLabel(category) { return L["cat_" + category] || category; }

  function languageLabel(code) { return code ? (L["lang_" + code] || code) : L.language_unknown; }

  function who(person) {
    return person.delegation ? person.name + " (" + person.delegation + ")" : person.name;
  }

  // --- the current speaker's clock -------------------------------------------------------
  function spokenSeconds(current, now) {
    if (current.started_at === null) { return 0; }
    var stop = current.paused && current.paused_at !== null ? current.paused_at : now;
    return Math.max(0, stop - current.started_at - current.paused_seconds);
  }

  function budgetLeft(budget, now) {
    var elapsed = budget.running ? Math.max(0, now - snap.now) : 0;
    return budget.left - elapsed;
  }

  function renderClock(now) {
    if (!snap) { return; }
    var current = snap.current;
    var phase = "idle";
    if (current) {
      var remaining = current.limit_seconds - spokenSeconds(current, now);
      if (remaining > 0) {
        // whole seconds left, rounded up: 5:00 until a full second has passed
        setText("countdown", mmss(Math.ceil(remaining - 1e-6)));
        phase = remaining <= current.warn_seconds ? "warning" : "normal";
        setText("countdown-label", current.paused ? L.paused : L.time_left);
      } else {
        setText("countdown", "+" + mmss(Math.floor(-remaining + 1e-6)));
        phase = "overrun";
        setText("countdown-label", current.paused ? L.paused + " · " + L.overrun : L.overrun);
      }
      if (current.paused) { phase += " paused"; }
    } else {
      setText("countdown", "");
      setText("countdown-label", "");
    }
    var left = budgetLeft(snap.budget, now);
    if (left < 0) {
      setText("budget-label", L.budget_beyond);
      setText("budget-value", mmss(Math.floor(-left + 1e-6)));
      el("budget").className = "budget beyond";
    } else {
      setText("budget-label", L.budget_left);
      setText("budget-value", mmss(Math.floor(left + 1e-6)));
      el("budget").className = "budget";
    }
    var bodyClass = "view-" + view + " " + phase + (gone ? " gone" : "");
    if (document.body.className !== bodyClass) { document.body.className = bodyClass; }
    renderTime(now);
  }

  function renderTime(now) {
    var moment = new Date(now * 1000);
    var text = snap.meeting.time;
    try {
      if (!clockFormat) {
        clockFormat = new Intl.DateTimeFormat(data.language, {
          timeZone: snap.meeting.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"
        });
      }
      text = clockFormat.format(moment);
    } catch (error) {
      clockFormat = null;  // unknown zone in this browser: the server's last reading
    }
    setText("clock", text + (snap.meeting.zone_label ? " " + snap.meeting.zone_label : ""));
  }

  // --- the rest of the page, once per snapshot --------------------------------------------
  function personLine(person) {
    var parts = [];
    if (person.delegation) { parts.push(person.delegation); }
    parts.push(categoryLabel(person.category));
    // the other categories already say whether they are in the room or remote
    if (person.category === "panelist") { parts.push(person.remote ? L.remote_mode : L.in_room); }
    return parts.join(" · ");
  }

  function renderNext(next, waiting) {
    var list = el("next");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var items = next.slice(0, MAX_NEXT);
    items.forEach(function (person) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.className = "next-name";
      name.textContent = who(person);
      item.appendChild(name);
      var meta = document.createElement("span");
      meta.className = "next-meta";
      var bits = [categoryLabel(person.category)];
      if (view === "booth") {
        bits.unshift(languageLabel(person.language));
        if (person.topic) { bits.push(person.topic); }
      }
      meta.textContent = bits.join(" · ");
      item.appendChild(meta);
      if (person.remote) { item.className = "remote"; }
      list.appendChild(item);
    });
    if (!items.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = L.nobody_waiting;
      list.appendChild(empty);
    }
    // Show only the speakers that fit whole: the rest are counted in "and N more", so the
    // room never sees a list cut off without knowing it.
    var shown = items.length;
    var bottom = list.getBoundingClientRect().bottom + 0.5;
    while (shown > 1 && list.lastChild.getBoundingClientRect().bottom > bottom) {
      list.removeChild(list.lastChild);
      shown -= 1;
    }
    var more = waiting - shown;
    setText("more", more > 0 ? fill(L.more, { count: more }) : "");
    // For whoever checks the layout (the browser tests): the size the list was fitted to.
    document.body.setAttribute("data-fitted", window.innerWidth + "x" + window.innerHeight);
  }

  function render() {
    var current = snap.current;
    setText("title", snap.meeting.title);
    setText("list-state", snap.open ? L.open : L.closed);
    el("list-state").className = "pill " + (snap.open ? "open" : "closed");
    setText("next-label", L.next + " · " + fill(L.waiting, { count: snap.waiting }));
    if (current) {
      setText("speaker-label", L.speaking);
      setText("name", current.name);
      setText("details", personLine(current));
      if (el("topic")) { setText("topic", current.topic || ""); }
      if (el("language")) {
        setText("language", languageLabel(current.language));
        el("language").className = "language" + (current.language ? "" : " unknown");
      }
      el("over-budget").hidden = !current.over_budget;
      setText("over-budget", current.over_budget ? L.over_budget : "");
    } else {
      setText("speaker-label", "");
      setText("name", L.nobody);
      setText("details", "");
      if (el("topic")) { setText("topic", ""); }
      if (el("language")) { setText("language", ""); }
      el("over-budget").hidden = true;
    }
    renderNext(snap.next, snap.waiting);
    renderClock(serverNow());
  }

  function apply(snapshot) {
    snap = snapshot;
    offsetMs = snapshot.now * 1000 - Date.now();
    document.body.setAttribute("data-request", snapshot.current ? String(snapshot.current.id) : "");
    render();
  }

  // --- connection ------------------------------------------------------------------------
  function banner(text) {
    var node = el("banner");
    node.hidden = !text;
    setText("banner", text || "");
  }

  function connect() {
    if (gone) { return; }
    if (source) { source.close(); }
    source = new EventSource(location.pathname + "/events");
    source.addEventListener("snapshot", function (event) {
      banner("");
      apply(JSON.parse(event.data));
    });
    source.onerror = function () {
      banner(L.reconnecting);
      // A dropped stream is retried by the browser itself; a refused one (the key was
      // replaced, or the server answered an error) is closed: find out which, then retry.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        source = null;
        window.setTimeout(check, RETRY_MS);
      }
    };
  }

  function check() {
    fetch(location.pathname + "/state", { cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.status === 404 || response.status === 403) {
          gone = true;
          banner(L.gone);
          document.body.className += " gone";
          return null;
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json().then(function (snapshot) { apply(snapshot); connect(); });
      })
      .catch(function () {
        banner(L.reconnecting);
        window.setTimeout(check, RETRY_MS);
      });
  }

  window.setInterval(function () { if (snap) { renderClock(serverNow()); } }, 200);
  // A new size of the list (the window resized, the style sheet applied) fits a different
  // number of waiting speakers.
  if (window.ResizeObserver) {
    new ResizeObserver(function () { if (snap) { renderNext(snap.next, snap.waiting); } })
      .observe(el("next"));
  }
  window.addEventListener("resize", function () { if (snap) { render(); } });
  setText("name", "");
  connect();
})();
