(function () {
  "use strict";
  // Static script (allowed by its hash in the page's CSP): reads the JSON island, never HTML.
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var table = document.getElementById("examples");
  var bodies = Array.prototype.slice.call(table.querySelectorAll("tbody.ex"));
  var search = document.getElementById("search");
  var filter = document.getElementById("filter");
  var metric = document.getElementById("metric-filter");
  var op = document.getElementById("metric-op");
  var threshold = document.getElementById("metric-value");
  var shown = document.getElementById("shown");
  var texts = bodies.map(function (body) { return body.textContent.toLowerCase(); });

  function example(body) { return data.examples[Number(body.getAttribute("data-index"))]; }

  function passesFilter(item) {
    var choice = filter.value;
    if (choice === "flagged") { return item.flags.length > 0; }
    if (choice === "errors") { return item.error !== null; }
    if (choice === "ok") { return item.error === null; }
    if (choice.indexOf("error:") === 0) { return item.error === choice.slice(6); }
    if (choice.indexOf("flag:") === 0) { return item.flags.indexOf(choice.slice(5)) >= 0; }
    return true;
  }

  function passesMetric(item) {
    if (metric.value === "") { return true; }
    var value = item.values[Number(metric.value)];
    if (op.value === "na") { return value === null; }
    var limit = Number(threshold.value);
    if (value === null || isNaN(limit)) { return false; }
    return op.value === "lt" ? value < limit : value >= limit;
  }

  function update() {
    var query = search.value.trim().toLowerCase();
    var count = 0;
    bodies.forEach(function (body, index) {
      var item = example(body);
      var visible = passesFilter(item) && passesMetric(item) &&
        (query === "" || texts[index].indexOf(query) >= 0);
      body.classList.toggle("hidden", !visible);
      if (visible) { count += 1; }
    });
    shown.textContent = "Showing " + count + " of " + data.examples.length + " examples";
  }

  function sortValue(item, column) {
    if (column === "id") { return item.id; }
    if (column === "status") { return (item.error ? 0 : 2) - (item.flags.length ? 1 : 0); }
    return item.values[Number(column)];
  }

  function worstFirstAscending(column) {
    if (column === "id" || column === "status") { return true; }
    return data.columns[Number(column)].direction !== "lower";
  }

  var sortState = { column: null, ascending: true };
  function sortBy(header) {
    var column = header.getAttribute("data-col");
    var ascending = sortState.column === column ? !sortState.ascending : worstFirstAscending(column);
    sortState = { column: column, ascending: ascending };
    var keyed = bodies.map(function (body, index) {
      return { body: body, value: sortValue(example(body), column), index: index };
    });
    keyed.sort(function (a, b) {
      if (a.value === null && b.value === null) { return a.index - b.index; }
      if (a.value === null) { return 1; }  // n/a last, whichever the direction
      if (b.value === null) { return -1; }
      if (a.value < b.value) { return ascending ? -1 : 1; }
      if (a.value > b.value) { return ascending ? 1 : -1; }
      return a.index - b.index;
    });
    keyed.forEach(function (entry) { table.appendChild(entry.body); });
    table.querySelectorAll("th[data-col]").forEach(function (th) {
      th.setAttribute("aria-sort", th === header ? (ascending ? "ascending" : "descending") : "none");
    });
  }

  function setOpen(body, open) {
    body.querySelector("tr.detail").hidden = !open;
    body.classList.toggle("open", open);
    body.querySelector("button.toggle").setAttribute("aria-expanded", open ? "true" : "false");
  }

  table.querySelectorAll("th[data-col]").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
  bodies.forEach(function (body) {
    body.querySelector("tr.summary-row").addEventListener("click", function () {
      setOpen(body, body.querySelector("tr.detail").hidden);
    });
  });
  document.getElementById("expand-all").addEventListener("click", function () {
    bodies.forEach(function (body) { if (!body.classList.contains("hidden")) { setOpen(body, true); } });
  });
  document.getElementById("collapse-all").addEventListener("click", function () {
    bodies.forEach(function (body) { setOpen(body, false); });
  });
  [search, filter, metric, op, threshold].forEach(function (control) {
    control.addEventListener("input", update);
    control.addEventListener("change", update);
  });

  function openFromHash() {  // links from comparisons and the matrix: report.html#ex-...
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.classList.contains("ex")) {
      setOpen(target, true);
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openFromHash);
  update();
  openFromHash();
})();
