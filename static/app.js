// Chirp's small enhancements. Everything works without this file; it only makes pages nicer.
// No inline scripts anywhere: the Content-Security-Policy allows only files from our origin.
"use strict";

// Live character counter on the compose box (event delegation survives htmx swaps).
function updateCounter(textarea) {
  const max = Number(textarea.dataset.max);
  const counter = textarea.form && textarea.form.querySelector(".counter");
  if (!max || !counter) return;
  const left = max - Array.from(textarea.value).length;
  counter.textContent = left >= 0 ? `${left} characters left` : `${-left} characters too many`;
  counter.classList.toggle("over", left < 0);
  counter.classList.toggle("near", left >= 0 && left < 20);
  if (left < 0) textarea.setAttribute("aria-invalid", "true");
  else if (textarea.value.trim()) textarea.removeAttribute("aria-invalid");
  const post = textarea.form.querySelector('button[type="submit"]');
  if (post) post.disabled = left < 0;  // the server would refuse it anyway
}

document.addEventListener("input", (event) => {
  if (event.target.matches("textarea[data-max]")) updateCounter(event.target);
});

// Relative times: the server wrote "5m"; keep it right while the page stays open.
function relative(date) {
  const seconds = Math.floor((Date.now() - date.getTime()) / 1000);
  if (seconds < 60) return "now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 7 * 86400) return `${Math.floor(seconds / 86400)}d`;
  return date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

function refreshTimes(root) {
  root.querySelectorAll("time[datetime]:not([data-local])").forEach((node) => {
    const date = new Date(node.getAttribute("datetime"));
    if (!Number.isNaN(date.getTime())) {
      node.textContent = relative(date);
      node.title = date.toLocaleString();
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  refreshTimes(document);
  document.querySelectorAll("textarea[data-max]").forEach(updateCounter);
  setInterval(() => refreshTimes(document), 60 * 1000);
});

// After htmx swaps content in: fresh times.
document.addEventListener("htmx:afterSwap", (event) => {
  // An SSE swap (htmx-ext-sse) has no detail.target: the event's own element is the target.
  refreshTimes((event.detail.target || event.target).parentNode || document);
});

// Errors htmx does not swap (rate limits, an expired form, the server down): say so.
const MESSAGES = {
  403: "That didn't go through: the page has expired. Reload it and try again.",
  429: "You're going a little fast. Wait a moment and try again.",
  503: "Chirp is briefly unavailable. Try again in a moment.",
};

function flash(text) {
  const box = document.getElementById("flash");
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
  clearTimeout(flash.timer);
  flash.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  flash(MESSAGES[status] || "Something went wrong. Try again.");
});
document.addEventListener("htmx:sendError", () => flash("Can't reach Chirp. Check your connection."));

// --- Search box suggestions (issue 15): arrow keys move through the people htmx put under
// the box, Enter opens the highlighted one, Escape closes the list. Focus stays in the box
// (aria-activedescendant), so typing goes on as usual.
function suggestionState(input) {
  const list = document.getElementById(input.getAttribute("aria-controls"));
  const options = list ? Array.from(list.querySelectorAll('[role="option"]')) : [];
  const current = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
  return { list, options, current };
}

function highlight(input, options, index) {
  options.forEach((o, i) => o.setAttribute("aria-selected", i === index ? "true" : "false"));
  if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
  else input.removeAttribute("aria-activedescendant");
}

function closeSuggestions(input, list) {
  if (list) list.replaceChildren();
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
}

document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.getAttribute("role") !== "combobox") return;
  const { list, options, current } = suggestionState(input);
  if (event.key === "Escape") return closeSuggestions(input, list);
  if (!options.length) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    // -1 is the box itself: past the last option, or above the first, back to typing.
    let next = current + (event.key === "ArrowDown" ? 1 : -1);
    if (next >= options.length) next = -1;
    if (next < -1) next = options.length - 1;
    highlight(input, options, next);
  } else if (event.key === "Enter" && current >= 0) {
    event.preventDefault();
    window.location.assign(options[current].querySelector("a").href);
  }
});

document.addEventListener("htmx:afterSwap", (event) => {
  const list = event.detail.target;  // none on an SSE swap
  if (!list || !list.matches || !list.matches('[role="listbox"]')) return;
  const input = document.querySelector(`[aria-controls="${list.id}"]`);
  if (input) input.setAttribute("aria-expanded", list.children.length ? "true" : "false");
});

document.addEventListener("click", (event) => {
  document.querySelectorAll('[role="combobox"]').forEach((input) => {
    if (!input.closest("form").contains(event.target)) {
      closeSuggestions(input, suggestionState(input).list);
    }
  });
});

// Ctrl+Enter (Cmd+Enter on a Mac) in the post box posts, unless Post is disabled.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const box = event.target;
  if (!box.matches || !box.matches("textarea[data-max]") || !box.form) return;
  event.preventDefault();
  const post = box.form.querySelector('button[type="submit"]');
  if (post && !post.disabled) box.form.requestSubmit(post);
});

// Keyboard focus across swaps. An htmx swap replaces the element that had focus; without
// this, focus falls to <body> and a keyboard user starts again from the top. Where it goes:
// after Post, the (fresh) post box; after Like or Follow, the new button in the same place;
// after Delete, the next tweet's author link (never the avatar, hidden from the keyboard).
function focusAfterSwap(target, active) {
  if (active.closest("#compose")) return () => document.getElementById("compose-text");
  const tweet = active.closest(".tweet[id]");
  if (active.closest("form.like") && tweet) {
    return () => document.querySelector(`#${tweet.id} form.like button`);
  }
  const follow = active.closest(".follow-box[id]");
  if (follow) return () => document.querySelector(`#${follow.id} form.follow button`);
  if (target.classList.contains("tweet")) {  // a delete: the tweet goes away
    const next = target.nextElementSibling || target.previousElementSibling;
    const link = next && (next.matches("a.more") ? next : next.querySelector("a.author"));
    return () => link || document.getElementById("compose-text") || document.getElementById("main");
  }
  return null;
}

let refocus = null;

function moveFocus() {
  const next = refocus && refocus();
  refocus = null;
  if (next && next.isConnected) next.focus();
}

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  const active = document.activeElement;
  refocus = target && active && target.contains(active) ? focusAfterSwap(target, active) : null;
  keepComposeSize(target);
  // The swap runs right after this event; a removed element's own events never reach the
  // document, so a timer (not htmx:afterSwap) is what surely runs once the swap is done.
  if (refocus) setTimeout(moveFocus, 0);
});

document.addEventListener("htmx:afterSettle", () => {
  const box = document.getElementById("compose-text");
  if (box) updateCounter(box);
  // Settling put back the new box's own attributes (no style): now give it the old height.
  if (box && composeHeight) box.style.height = composeHeight;
  composeHeight = "";
});

// A post box resized by hand carries an inline style attribute. htmx copies the old
// element's attributes onto its replacement while settling, and the CSP (style-src 'self')
// refuses an inline style: a console error, and the box snaps back. So take the attribute
// off before the swap and give the new box the same height through the CSSOM, which the
// policy allows (after settling: see htmx:afterSettle above).
let composeHeight = "";

function keepComposeSize(target) {
  const box = target && target.id === "compose" && target.querySelector("textarea");
  if (!box) return;
  composeHeight = box.style.height;
  box.removeAttribute("style");
}

// A flash the server rendered (settings saved, logged out) goes away after a while, as the
// script's own do.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("flash");
  if (box && !box.hidden) flash.timer = setTimeout(() => { box.hidden = true; }, 8000);
});

// --- Scheduled posts: a datetime-local field holds the person's own time. tz_offset tells the
// server which (minutes east of UTC on the chosen date: daylight saving differs by date). A
// field the server filled in UTC (data-utc) and the scheduled times are shown in local time.
function pad(number) { return String(number).padStart(2, "0"); }

function localValue(date) {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function zoneName(minutes) {
  if (!minutes) return "UTC";
  const sign = minutes > 0 ? "+" : "-";
  return `UTC${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

function fillOffset(input) {
  const field = input.form && input.form.querySelector('input[name="tz_offset"]');
  if (!field) return;
  const chosen = input.value ? new Date(input.value) : new Date();  // no zone: local time
  const date = Number.isNaN(chosen.getTime()) ? new Date() : chosen;
  field.value = String(-date.getTimezoneOffset());
}

function localTimes(root) {
  root.querySelectorAll("input[data-local-time][data-utc]").forEach((input) => {
    const date = new Date(input.dataset.utc);
    if (!Number.isNaN(date.getTime())) input.value = localValue(date);
    input.removeAttribute("data-utc");
  });
  root.querySelectorAll("input[data-local-time]").forEach(fillOffset);
  const shown = { weekday: "short", day: "numeric", month: "short", year: "numeric",
                  hour: "2-digit", minute: "2-digit" };
  root.querySelectorAll("time[data-local]").forEach((node) => {
    const date = new Date(node.getAttribute("datetime"));
    if (!Number.isNaN(date.getTime())) node.textContent = date.toLocaleString(undefined, shown);
  });
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = zoneName(-new Date().getTimezoneOffset());
  // "Europe/Paris, UTC+01:00"; a zone named UTC (or Etc/UTC) is said once.
  const named = name && !/^(Etc\/)?UTC$/.test(name) ? `${name}, ` : "";
  const label = `Times are in your time zone (${named}${offset}).`;
  root.querySelectorAll("[data-zone-label]").forEach((node) => { node.textContent = label; });
}

document.addEventListener("DOMContentLoaded", () => localTimes(document));
document.addEventListener("htmx:afterSwap", () => localTimes(document));
document.addEventListener("input", (event) => {
  if (event.target.matches("input[data-local-time]")) fillOffset(event.target);
});
// Capturing: before htmx (listening on the form itself) reads the form's values.
document.addEventListener("submit", (event) => {
  event.target.querySelectorAll("input[data-local-time]").forEach(fillOffset);
}, true);
