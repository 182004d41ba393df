/* Dashboard charts: draws each figure embedded as JSON (<script id="figure-KEY" type="application/json">, written
   by Django's json_script) into the element with id "chart-KEY", using the locally served plotly.js; a click on a bar follows the task-list URL the server put
   in the point's customdata. */
(function () {
  "use strict";

  function urlOf(point) {
    var data = point && point.customdata;
    if (Array.isArray(data)) { data = data[0]; }
    return typeof data === "string" && data.charAt(0) === "/" ? data : null;
  }

  function draw(source) {
    var target = document.getElementById(source.id.replace(/^figure-/, "chart-"));
    if (!target || !window.Plotly) { return; }
    var figure = JSON.parse(source.textContent);
    var config = {responsive: true, displaylogo: false, locale: "vi",
                  modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"]};
    window.Plotly.newPlot(target, figure.data, figure.layout, config).then(function (graph) {
      graph.on("plotly_click", function (event) {
        var url = event && event.points && event.points.length ? urlOf(event.points[0]) : null;
        if (url) { window.location.assign(url); }
      });
      target.setAttribute("data-ready", "1");
    });
  }

  function start() {
    var sources = document.querySelectorAll("script[type='application/json'][id^='figure-']");
    for (var i = 0; i < sources.length; i += 1) { draw(sources[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
