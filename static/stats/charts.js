/* Draw each statistics table as a Chart.js chart; the HTML tables stay the accessible source. */
(function () {
  "use strict";
  const node = document.getElementById("stats-charts");
  if (!node || !window.Chart) return;
  const charts = JSON.parse(node.textContent);
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const spec = charts[canvas.dataset.chart];
    if (!spec) return;
    const stacked = spec.type === "stacked";
    const horizontal = spec.type !== "column";
    if (horizontal) canvas.parentNode.style.height = `${Math.max(200, 60 + spec.labels.length * 28)}px`;
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: stacked } },
        scales: { x: { stacked: stacked, beginAtZero: true }, y: { stacked: stacked, beginAtZero: true } },
      },
    });
  });
})();
