/* Behaviour every page may use, wired by data attributes instead of inline handlers (the Content-Security-Policy
   allows no inline script): <form data-confirm="question"> asks before submitting; <button data-print> prints. */
(function () {
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
    if (event.target.closest && event.target.closest("[data-back]") && window.history.length > 1) {
      event.preventDefault();  // "back" without a javascript: link (the Content-Security-Policy forbids those)
      window.history.back();
    }
  });
})();
