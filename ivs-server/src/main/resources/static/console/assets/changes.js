// IVS console, live changes: new changes from the page's Server-Sent-Events stream are added at
// the top of the table. Text is set with textContent only; the browser reconnects by itself and
// resumes after the last change it received (Last-Event-ID).
(function () {
  "use strict";
  var table = document.getElementById("changes-table");
  var body = document.getElementById("changes-body");
  var status = document.getElementById("changes-status");
  if (!table || !body || typeof EventSource === "undefined") {
    return;
  }
  var KEPT = 200;
  var received = 0;

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function chips(td, entries) {
    entries.forEach(function (text) {
      var span = document.createElement("span");
      span.className = "chip";
      span.textContent = text;
      td.appendChild(span);
    });
  }

  var source = new EventSource(table.dataset.stream);
  source.addEventListener("change", function (event) {
    var change = JSON.parse(event.data);
    var row = document.createElement("tr");
    row.dataset.position = String(change.position);
    cell(row, String(change.position), "num");
    cell(row, change.committedAt);
    cell(row, change.kind);
    cell(row, change.organizationId);
    cell(row, change.productId);
    chips(cell(row, ""), Object.keys(change.dimensions || {}).map(function (name) {
      return name + "=" + change.dimensions[name];
    }));
    var quantities = [];
    Object.keys(change.quantities || {}).forEach(function (ds) {
      Object.keys(change.quantities[ds]).forEach(function (measure) {
        quantities.push(ds + "." + measure + "=" + change.quantities[ds][measure]);
      });
    });
    chips(cell(row, ""), quantities);
    body.insertBefore(row, body.firstChild);
    while (body.rows.length > KEPT) {
      body.deleteRow(body.rows.length - 1);
    }
    received++;
    status.textContent = received + (received === 1 ? " new change" : " new changes")
        + " since the page opened; newest at the top.";
  });
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CONNECTING) {
      status.textContent = "Connection lost; reconnecting…";
    }
  });
})();
