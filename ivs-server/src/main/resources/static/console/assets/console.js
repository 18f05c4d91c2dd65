// IVS console: the few things that need a script. Pages work without it (plain forms);
// with it, htmx requests carry the CSRF token and ATP charts are drawn.
(function () {
  "use strict";
  var header = document.querySelector('meta[name="csrf-header"]');
  var token = document.querySelector('meta[name="csrf-token"]');
  document.addEventListener("htmx:configRequest", function (event) {
    if (header && token) {
      event.detail.headers[header.content] = token.content;
    }
  });

  function drawCharts() {
    if (typeof echarts === "undefined") {
      return;
    }
    document.querySelectorAll(".chart[data-chart]").forEach(function (element) {
      if (element.dataset.drawn) {
        return;
      }
      var data = JSON.parse(element.dataset.chart);
      var series = [];
      data.series.forEach(function (s) {
        series.push({ name: s.measure + " projected on-hand", type: "line", step: "end",
          data: s.projected.map(Number) });
        series.push({ name: s.measure + " ATP", type: "line", step: "end",
          lineStyle: { type: "dashed" }, data: s.atp.map(Number) });
      });
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 48, right: 16, top: 40, bottom: 40 },
        xAxis: { type: "category", data: data.days },
        yAxis: { type: "value" },
        series: series
      });
      element.dataset.drawn = "true";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  window.addEventListener("load", drawCharts);
})();
