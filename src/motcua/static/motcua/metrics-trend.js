// The unit page's 12-month trend, drawn from the JSON script tag (no inline script).
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("trend-chart");
    var source = document.getElementById("trend-data");
    if (!canvas || !source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var colours = ["#b91c1c", "#1d4ed8", "#047857", "#b45309", "#6d28d9", "#0e7490"];
    data.datasets.forEach(function (set, i) {
      set.borderColor = colours[i % colours.length];
      set.backgroundColor = colours[i % colours.length];
      set.spanGaps = false;
      set.borderWidth = i === 0 ? 3 : 1.5;
      set.hidden = i > 0 && data.datasets.length > 4;
    });
    canvas.chart = new window.Chart(canvas, {
      type: "line",
      data: data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, suggestedMax: 100 } },
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
