// headline-watch review desk: keyboard shortcuts and verdicts without a page reload. Everything here is an
// extra: every verdict is a plain form that works without this script. Untrusted text (headlines) is only
// ever moved as DOM nodes or set with textContent, never parsed as HTML.
"use strict";
(function () {
  var doc = document;
  var main = doc.getElementById("main");
  if (!main) return;
  doc.documentElement.classList.add("js");
  var csrf = main.getAttribute("data-csrf") || "";
  var undoStack = [];
  var current = -1;
  var toastTimer = null;

  Array.prototype.forEach.call(doc.querySelectorAll(".js-keys"), function (e) { e.hidden = false; });

  // Times: the reader's local time, the UTC text kept as a tooltip.
  Array.prototype.forEach.call(doc.querySelectorAll("time[datetime]"), function (t) {
    var d = new Date(t.getAttribute("datetime"));
    if (isNaN(d.getTime())) return;
    t.title = t.textContent;
    t.textContent = d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  });

  // The reviewer's name, remembered by this browser.
  var KEY = "headline-watch.reviewer";
  var stored = "";
  try { stored = localStorage.getItem(KEY) || ""; } catch (e) { stored = ""; }
  function reviewerInputs() { return doc.querySelectorAll("input[name=reviewer]"); }
  Array.prototype.forEach.call(reviewerInputs(), function (i) {
    if (!i.value && stored) i.value = stored;
    i.addEventListener("change", function () {
      var v = i.value.trim();
      try { localStorage.setItem(KEY, v); } catch (e) { /* private mode: not remembered */ }
      Array.prototype.forEach.call(reviewerInputs(), function (o) { o.value = v; });
    });
  });

  function list() { return doc.getElementById("cards"); }
  function cards() { var l = list(); return l ? Array.prototype.slice.call(l.querySelectorAll(":scope > li.item")) : []; }
  function isQueue() { return doc.querySelector("[aria-current=page][href='/']") !== null; }

  function select(i) {
    var all = cards();
    if (!all.length) { current = -1; return; }
    current = Math.max(0, Math.min(i, all.length - 1));
    all.forEach(function (c, j) { c.classList.toggle("current", j === current); });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function toast(text, withUndo) {
    var t = doc.getElementById("toast");
    if (!t) return;
    t.textContent = text;
    if (withUndo) {
      var b = doc.createElement("button");
      b.type = "button";
      b.textContent = "Undo (u)";
      b.addEventListener("click", undo);
      t.appendChild(b);
    }
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { t.hidden = true; }, 6000);
  }

  function setCount(delta) {
    var s = doc.querySelector("#count strong");
    if (s && isQueue()) s.textContent = String(Math.max(0, parseInt(s.textContent, 10) + delta));
  }

  function post(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { body.set(k, fields[k]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "desk" }
    }).then(function (r) {
      if (!r.ok) throw new Error(r.status === 403 ? "refused (reload the page)" : "error " + r.status);
      return r.json();
    });
  }

  function titleOf(card) {
    var h = card.querySelector(".title");
    return h ? h.textContent : "";
  }

  function decide(card, label) {
    var form = card.querySelector("form.verdict");
    if (!form || card.dataset.busy) return;
    card.dataset.busy = "1";
    var fields = { csrf: csrf, item_id: card.getAttribute("data-item"), label: label };
    var note = form.querySelector("input[name=note]");
    var who = form.querySelector("input[name=reviewer]");
    if (note && note.value.trim()) fields.note = note.value.trim();
    if (who && who.value.trim()) fields.reviewer = who.value.trim();
    post("/verdict", fields).then(function (r) {
      delete card.dataset.busy;
      var entry = { review: r.review_id, card: card, parent: card.parentNode, next: card.nextSibling, removed: false, badge: null };
      if (isQueue()) {
        var index = cards().indexOf(card);
        card.parentNode.removeChild(card);
        entry.removed = true;
        setCount(-1);
        select(index);
      } else {
        var badge = doc.createElement("div");
        badge.className = "why";
        var span = doc.createElement("span");
        span.className = "badge reviewed";
        span.textContent = "verdict: " + r.label;
        badge.appendChild(span);
        form.parentNode.insertBefore(badge, form);
        entry.badge = badge;
      }
      undoStack.push(entry);
      toast("“" + titleOf(card) + "” marked " + r.label + ".", true);
    }).catch(function (e) {
      delete card.dataset.busy;
      toast("The verdict was not recorded: " + e.message, false);
    });
  }

  function undo() {
    var entry = undoStack.pop();
    if (!entry) { toast("Nothing to undo.", false); return; }
    post("/undo", { csrf: csrf, review_id: String(entry.review) }).then(function () {
      if (entry.removed) {
        if (entry.next && entry.next.parentNode === entry.parent) entry.parent.insertBefore(entry.card, entry.next);
        else entry.parent.appendChild(entry.card);
        setCount(1);
        select(cards().indexOf(entry.card));
      }
      if (entry.badge && entry.badge.parentNode) entry.badge.parentNode.removeChild(entry.badge);
      toast("Undone: “" + titleOf(entry.card) + "” is back.", false);
    }).catch(function (e) {
      undoStack.push(entry);
      toast("Undo failed: " + e.message, false);
    });
  }

  doc.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("verdict")) return;
    var label = e.submitter && e.submitter.value;
    if (!label) return;
    e.preventDefault();
    decide(form.closest("li.item"), label);
  });

  var LABELS = { "1": "misleading", "2": "accurate", "3": "rebuttal", "4": "unrelated" };
  doc.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var help = doc.getElementById("help");
    var all = cards();
    if (e.key === "j") { select(current + 1); }
    else if (e.key === "k") { select(current < 0 ? 0 : current - 1); }
    else if (LABELS[e.key]) {
      if (current < 0) select(0);
      var c = cards()[current];
      if (c) decide(c, LABELS[e.key]);
    }
    else if (e.key === "u") { undo(); }
    else if (e.key === "o") {
      var a = all[current] && all[current].querySelector("a.article");
      if (a) window.open(a.href, "_blank", "noopener,noreferrer");
    }
    else if (e.key === "/") {
      var q = doc.querySelector("input[name=q]");
      if (q) q.focus(); else window.location.href = "/search";
    }
    else if (e.key === "?") { if (help && help.showModal) { if (help.open) help.close(); else help.showModal(); } }
    else return;
    e.preventDefault();
  });

  if (cards().length) select(0);
})();
