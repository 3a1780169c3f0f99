// Draws a canned query's chart with Chart.js (installed from npm, served at /lib/) from the
// page's own JSON: the header's chart (type, x, y columns, series) over the page of rows,
// with labels for IRIs as the table shows them.
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("psikg-query").textContent);
  var info = page.psikg;
  var spec = info.query.chart;
  var canvas = document.getElementById("chart");
  if (!canvas || !spec || typeof window.Chart !== "function") { return; }
  var rows = page.results.bindings;

  function title(name) {
    var column = info.query.columns.find(function (c) { return c.name === name; });
    return column ? column.title : name;
  }
  function text(cell) {
    if (!cell) { return ""; }
    return cell.type === "uri" ? (info.names[cell.value] || cell.value) : cell.value;
  }
  function number(cell) {
    var value = cell ? Number(cell.value) : NaN;
    return isFinite(value) ? value : null;
  }

  var labels = [];
  rows.forEach(function (row) {
    var label = text(row[spec.x]);
    if (labels.indexOf(label) < 0) { labels.push(label); }
  });
  var datasets = [];
  if (spec.series) {
    var groups = {};
    rows.forEach(function (row) {
      var key = text(row[spec.series]);
      if (!groups[key]) {
        groups[key] = labels.map(function () { return null; });
        datasets.push({ label: key, data: groups[key] });
      }
      groups[key][labels.indexOf(text(row[spec.x]))] = number(row[spec.y[0]]);
    });
  } else {
    spec.y.forEach(function (column) {
      var data = labels.map(function () { return null; });
      rows.forEach(function (row) {
        var index = labels.indexOf(text(row[spec.x]));
        data[index] = (data[index] || 0) + (number(row[column]) || 0);
      });
      datasets.push({ label: title(column), data: data });
    });
  }
  window.psikgChart = new window.Chart(canvas, {
    type: spec.type,
    data: { labels: labels, datasets: datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: datasets.length > 1 || spec.type === "pie" } },
      scales: spec.type === "pie" ? {} : {
        x: { title: { display: true, text: title(spec.x) } },
        y: { beginAtZero: true,
             title: { display: true, text: spec.y.map(title).join(", ") } } },
    },
  });
})();
