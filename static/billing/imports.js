// The bills import: refuse a file over the size limit before sending it, and follow the
// background job's progress until it ends (the server keeps the same checks).
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var error = input.form.querySelector("[data-upload-error]");
    var file = input.files && input.files[0];
    var tooLarge = file && file.size > parseInt(input.getAttribute("data-max-bytes"), 10);
    input.setCustomValidity(tooLarge ? input.getAttribute("data-too-large") : "");
    input.setAttribute("aria-invalid", tooLarge ? "true" : "false");
    if (error) {
      error.textContent = "";
      if (tooLarge) {
        var item = document.createElement("li");
        item.textContent = input.getAttribute("data-too-large");
        error.appendChild(item);
      }
      error.hidden = !tooLarge;
    }
  });

  var POLL_MS = 1500;

  function poll(element) {
    var url = element.getAttribute("data-poll-url");
    if (!url) return;
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (response.redirected) {
            window.location.reload(); // signed out meanwhile: show the login page
            return null;
          }
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var next = holder.firstElementChild;
          element.replaceWith(next);
          poll(next);
        })
        .catch(function () {
          poll(element); // a lost request: try again
        });
    }, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll-url]").forEach(poll);
  });
})();
