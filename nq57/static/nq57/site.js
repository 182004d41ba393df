/* Behaviour every page may use, wired by data attributes instead of inline handlers (the Content-Security-Policy
   allows no inline script): <form data-confirm="question"> asks before submitting; <form data-busy="id"> shows a
   progress indicator while it is sent; <button data-print> prints; <details data-form-src> fetches its form. */
(function () {
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  /* <form data-busy="id"> shows the element #id (a progress indicator) while a long submission runs */
  document.addEventListener("submit", function (event) {
    var busy = event.target.getAttribute && event.target.getAttribute("data-busy");
    var indicator = busy && !event.defaultPrevented && document.getElementById(busy);
    if (indicator) {
      indicator.hidden = false;
      event.target.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
    if (event.target.closest && event.target.closest("[data-back]") && window.history.length > 1) {
      event.preventDefault();  // "back" without a javascript: link (the Content-Security-Policy forbids those)
      window.history.back();
    }
  });
})();
/* Length limits (core/limits.py): a field with data-max-chars shows how much of its limit is used once it is half
   full, and says so when it is over (the server refuses it with the same limit; nothing is cut). */
(function () {
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  function update(field) {
    var limit = parseInt(field.getAttribute("data-max-chars"), 10);
    if (!limit) { return; }
    var counter = field.nextElementSibling;
    if (!counter || !counter.classList.contains("char-count")) {
      if (field.value.length < limit / 2) { return; }
      counter = document.createElement("span");
      counter.className = "char-count small muted";
      counter.setAttribute("aria-live", "polite");
      field.parentNode.insertBefore(counter, field.nextSibling);
    }
    var over = field.value.length > limit;
    counter.textContent = fmt(field.value.length) + "/" + fmt(limit) + " ký tự" +
      (over ? " — vượt quá giới hạn, hãy rút gọn trước khi gửi" : "");
    counter.classList.toggle("error", over);
  }
  document.addEventListener("input", function (event) {
    if (event.target.getAttribute && event.target.getAttribute("data-max-chars")) { update(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var fields = document.querySelectorAll("[data-max-chars]");
    for (var i = 0; i < fields.length; i++) { update(fields[i]); }
  });
})();
/* <details data-form-src="address"> (the task page's longest forms, tasks.pages.FETCHED_FORMS) fetches its form the
   first time it is opened and puts it in place of its [data-form-slot], then announces the new content
   ("nq57:content", for the agency pickers). The slot holds a link to the page with the form open (?open=…): it is
   what works without script, and where the browser goes when the fetch fails (the session expired, say). */
(function () {
  function load(box) {
    var slot = box.querySelector("[data-form-slot]");
    if (!slot || box.getAttribute("data-form-state")) { return; }
    box.setAttribute("data-form-state", "loading");
    slot.setAttribute("aria-busy", "true");
    var link = slot.querySelector("a");
    window.fetch(box.getAttribute("data-form-src"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        slot.innerHTML = html;
        slot.removeAttribute("aria-busy");
        box.setAttribute("data-form-state", "loaded");
        document.dispatchEvent(new CustomEvent("nq57:content", { detail: { root: slot } }));
      })
      .catch(function () { if (link) { window.location.href = link.href; } });
  }
  document.addEventListener("toggle", function (event) {
    var box = event.target;
    if (box.open && box.getAttribute && box.getAttribute("data-form-src")) { load(box); }
  }, true);  /* toggle does not bubble: listened for while it goes down (capture) */
})();
