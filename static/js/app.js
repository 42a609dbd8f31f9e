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

  // <form data-confirm="..."> : ask before an irreversible action.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
