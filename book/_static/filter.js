// Adds a text filter above every long table: rows that do not contain the typed text are hidden.
(function () {
  "use strict";
  function addFilter(table) {
    var body = table.tBodies[0];
    if (!body || body.rows.length < 25) { return; }
    var input = document.createElement("input");
    input.type = "search";
    input.className = "table-filter";
    input.placeholder = "Filter these " + body.rows.length + " rows";
    input.setAttribute("aria-label", "Filter table rows");
    input.addEventListener("input", function () {
      var query = input.value.toLowerCase();
      Array.prototype.forEach.call(body.rows, function (row) {
        row.style.display = row.textContent.toLowerCase().indexOf(query) === -1 ? "none" : "";
      });
    });
    table.parentNode.insertBefore(input, table);
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.dataframe"), addFilter);
  });
})();

// A link to a row inside a collapsed list ("Show all 32 numbers ...") opens the list, so the row it names is shown;
// a list marked data-open-wide starts open on a wide screen, where its length costs little.
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    if (target) { target.scrollIntoView(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia("(min-width: 701px)").matches) {
      Array.prototype.forEach.call(document.querySelectorAll("details[data-open-wide]"), function (node) { node.open = true; });
    }
    openTarget();
  });
  window.addEventListener("hashchange", openTarget);
})();
