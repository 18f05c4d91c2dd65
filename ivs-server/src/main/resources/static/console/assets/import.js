// IVS console, Import page: sends the chosen CSV file as the request body (with the page's CSRF
// token), then polls the job's state every second until it is done or failed, and offers the
// refused rows for download. Text is set with textContent only.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || typeof fetch === "undefined") {
    return;
  }
  var section = document.getElementById("import-progress");
  var bar = document.getElementById("import-bar");
  var status = document.getElementById("import-status");
  var rejects = document.getElementById("import-rejects");
  var button = document.getElementById("import-start");
  var mode = document.getElementById("import-mode");
  var source = document.getElementById("import-source");

  // The data source matters only to a set: a change names its data sources in its columns.
  function modeChanged() {
    source.disabled = mode.value !== "set";
  }
  mode.addEventListener("change", modeChanged);
  modeChanged();

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : null;
  }

  function show(job) {
    var total = job.rowsTotal || 0;
    bar.value = total > 0 ? Math.min(100, Math.floor((job.rowsRead * 100) / total)) : 0;
    status.textContent = job.state + ": " + job.rowsRead + (total > 0 ? " of " + total : "") +
      " rows read, " + job.accepted + " accepted, " + job.rejected + " refused" +
      (job.message ? " (" + job.message + ")" : "");
    if (job.state === "done" || job.state === "failed") {
      bar.value = job.state === "done" ? 100 : bar.value;
      button.disabled = false;
      if (job.rejected > 0) {
        rejects.href = form.getAttribute("data-action") + "/jobs/" + job.id + "/rejects.csv";
        rejects.hidden = false;
      }
      return true;
    }
    return false;
  }

  function follow(id) {
    fetch(form.getAttribute("data-action") + "/jobs/" + encodeURIComponent(id), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (job) {
      if (!show(job)) {
        setTimeout(function () { follow(id); }, 1000);
      }
    }).catch(function () {
      setTimeout(function () { follow(id); }, 2000);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = document.getElementById("import-file").files[0];
    if (!file) {
      return;
    }
    var params = new URLSearchParams({
      mode: mode.value,
      dataSource: source.disabled ? "" : source.value,
      fileName: file.name
    });
    var headers = { "Content-Type": "text/csv", "Accept": "application/json" };
    var csrfHeader = meta("csrf-header");
    if (csrfHeader) {
      headers[csrfHeader] = meta("csrf-token");
    }
    section.hidden = false;
    rejects.hidden = true;
    button.disabled = true;
    status.textContent = "uploading " + file.name + " ...";
    fetch(form.getAttribute("data-action") + "?" + params.toString(), {
      method: "POST", credentials: "same-origin", headers: headers, body: file
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          throw new Error(body.message || ("HTTP " + response.status));
        }
        return body;
      });
    }).then(function (job) {
      show(job);
      follow(job.id);
    }).catch(function (error) {
      status.textContent = "not imported: " + error.message;
      button.disabled = false;
    });
  });
})();
