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
  root.querySelectorAll("time[datetime]").forEach((node) => {
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

// After htmx swaps content in: fresh times, and keyboard focus where a person expects it.
document.addEventListener("htmx:afterSwap", (event) => {
  // An SSE swap (htmx-ext-sse) has no detail.target: the event's own element is the target.
  refreshTimes((event.detail.target || event.target).parentNode || document);
  const compose = document.getElementById("compose");
  if (compose && event.detail.requestConfig && event.detail.requestConfig.elt === compose) {
    const box = compose.querySelector("textarea");
    if (box) {
      updateCounter(box);
      box.focus();
    }
  }
});

// A deleted tweet takes focus with it; put it somewhere sensible instead of <body>.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (target && target.classList && target.classList.contains("tweet") && target.contains(document.activeElement)) {
    const next = target.nextElementSibling || target.previousElementSibling;
    const focusable = next && next.querySelector("a, button");
    if (focusable) setTimeout(() => focusable.focus(), 0);
  }
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
