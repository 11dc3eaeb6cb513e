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
