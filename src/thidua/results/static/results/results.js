/* Charts of the results pages, drawn with Chart.js from the JSON rendered by json_script
   (id "results-data"): the ranking with rank intervals, a school's profile against the
   cluster median by group, and the agreement (alpha) per leaf. No inline script (CSP). */
(function () {
  "use strict";
  var source = document.getElementById("results-data");
  if (!source || typeof window.Chart === "undefined") return;
  var data = JSON.parse(source.textContent);

  var ranking = document.getElementById("chart-ranking");
  if (ranking && data.ranking && data.ranking.length) {
    new window.Chart(ranking, {
      type: "bar",
      data: {
        labels: data.ranking.map(function (s) { return s.rank + ". " + s.code; }),
        datasets: [
          { label: "Tổng điểm", data: data.ranking.map(function (s) { return s.total; }), xAxisID: "x" },
          {
            label: "Khoảng hạng (95 %)", type: "bar", xAxisID: "x2",
            data: data.ranking.map(function (s) { return [s.low - 0.4, s.high + 0.4]; })
          }
        ]
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { position: "bottom", title: { display: true, text: "Tổng điểm" } },
          x2: { position: "top", min: 0.5, max: data.ranking.length + 0.5, reverse: false,
                title: { display: true, text: "Thứ hạng" }, grid: { drawOnChartArea: false } }
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var s = data.ranking[ctx.dataIndex];
                return ctx.datasetIndex === 0 ? "Tổng điểm: " + s.total : "Khoảng hạng: " + s.low + "–" + s.high;
              }
            }
          }
        }
      }
    });
  }

  var profile = document.getElementById("chart-profile");
  if (profile && data.profile && data.profile.school) {
    new window.Chart(profile, {
      type: "bar",
      data: {
        labels: data.profile.groups,
        datasets: [
          { label: data.profile.label, data: data.profile.school },
          { label: "Trung vị của cụm", data: data.profile.median },
          { label: "Điểm tối đa", data: data.profile.max, type: "line", showLine: false }
        ]
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: "Điểm" } } } }
    });
  }

  var agreement = document.getElementById("chart-agreement");
  if (agreement && data.agreement && data.agreement.length) {
    new window.Chart(agreement, {
      type: "bar",
      data: {
        labels: data.agreement.map(function (a) { return a.leaf; }),
        datasets: [
          { label: "alpha Krippendorff", data: data.agreement.map(function (a) { return a.alpha; }) },
          { label: "Ngưỡng " + data.threshold, type: "line", pointRadius: 0,
            data: data.agreement.map(function () { return data.threshold; }) }
        ]
      },
      options: { scales: { y: { suggestedMin: 0, suggestedMax: 1 } } }
    });
  }
})();
