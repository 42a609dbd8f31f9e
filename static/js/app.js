// Counter Operations: small keyboard helpers shared by every page. No inline scripts (CSP).
(function () {
  "use strict";

  // <a data-hotkey="F2" href="..."> : the key opens the link from anywhere on the page.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    var target = document.querySelector('[data-hotkey="' + event.key + '"]');
    if (target) {
      event.preventDefault();
      target.click();
    }
  });

  // <button data-print> : print the page (receipts, reports, cards).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // Header menus: a click (or Enter/Space) toggles one, Escape or a click elsewhere closes it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".menu-button");
    document.querySelectorAll(".menu.open").forEach(function (menu) {
      if (!button || menu !== button.parentElement) {
        menu.classList.remove("open");
        menu.querySelector(".menu-button").setAttribute("aria-expanded", "false");
      }
    });
    if (button) {
      var open = button.parentElement.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.activeElement && document.activeElement.closest(".menu");
    if (menu) {
      menu.classList.remove("open");
      document.activeElement.blur();
    }
  });

  // A refused action says why where the eye is: the focus moves to the first alert (a message
  // at the top of the page, a form's errors) or to the first field in error, which scrolls it
  // into view and has a screen reader read it. A page that places its own focus (autofocus,
  // the counter's script) keeps it: its messages sit next to that field.
  document.addEventListener("DOMContentLoaded", function () {
    var focused = document.activeElement && document.activeElement !== document.body;
    if (focused || document.querySelector("[autofocus], [data-autofocus]")) return;
    var target = document.querySelector('[role="alert"], .field-error, [aria-invalid="true"]');
    if (!target) return;
    if (target.matches(".field-error")) {
      target = target.querySelector("input, select, textarea") || target;
    }
    if (!target.matches("input, select, textarea, button, a[href]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  });

  // <button disabled data-enabled-by="id_field"> : an action shown disabled with its reason,
  // which a value in that field can lift (a recount that may find no variance).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-enabled-by]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-enabled-by"));
      if (!field) return;
      var update = function () { button.disabled = field.value.trim() === ""; };
      field.addEventListener("input", update);
      update();
    });
  });

  // <form data-confirm="..."> : ask before an irreversible action.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
