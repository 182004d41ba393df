// The progress bar of an import (exchange/batch.html): polls the batch's status JSON every second while it runs,
// then reloads the page once to show the outcome (rejected records, the resume button).
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var running = function (status) { return status === "pending" || status === "running"; };
  var set = function (id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = String(value); }
  };
  var startedRunning = running(box.getAttribute("data-status"));
  var tick = function () {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        set("import-status-label", data.status_label);
        set("import-done", data.rows_done);
        set("import-total", data.rows_total);
        set("import-percent", data.percent);
        var bar = document.getElementById("import-bar");
        if (bar) { bar.value = data.percent; }
        set("count-created", data.counts.created);
        set("count-updated", data.counts.updated);
        set("count-unchanged", data.counts.unchanged);
        set("count-rejected", data.counts.rejected);
        set("count-reports", data.counts.reports_created);
        box.setAttribute("data-status", data.status);
        if (running(data.status)) {
          window.setTimeout(tick, 1000);
        } else if (startedRunning) {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  };
  if (startedRunning) { window.setTimeout(tick, 500); }
})();
