/* The notice review page: a click on a task card highlights its source text and back (no inline script: CSP). */
(function () {
  var source = document.getElementById("source");
  function activate(row) {
    source.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    source.querySelectorAll('mark[data-row="' + row + '"]').forEach(function (m) { m.classList.add("active"); });
  }
  function jump(row) {
    var anchor = document.getElementById("src-" + row) || source.querySelector('mark[data-row="' + row + '"]');
    if (anchor) { source.scrollTop = anchor.offsetTop - source.offsetTop - 12; }
    activate(row);
  }
  document.querySelectorAll("[data-jump]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); jump(link.dataset.jump); });
  });
  document.querySelectorAll(".task-card").forEach(function (card) {
    card.addEventListener("focusin", function () { activate(card.dataset.row); });
  });
  source.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-row]");
    var card = mark && document.getElementById("task-" + mark.dataset.row);
    if (card) { card.scrollIntoView({block: "start"}); activate(mark.dataset.row); }
  });
})();
