// The counter screen (收费台): focus, live change, cash / non-cash fields, no double submit.
(function () {
  "use strict";

  function cents(text) {
    var value = (text || "").trim().replace(/[,，]/g, "");
    if (!/^\d+(\.\d{1,2})?$/.test(value)) return null;
    var parts = value.split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }

  function yuan(amount) {
    var text = (amount / 100).toFixed(2);
    return text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-counter-form]");
    var first = document.querySelector("[data-autofocus]");
    if (!form) {
      if (first) first.focus();
      return;
    }
    var amount = form.querySelector("#id_amount");
    var method = form.querySelector("#id_method");
    var tendered = form.querySelector("#id_tendered");
    var reference = form.querySelector("#id_reference");
    var change = form.querySelector("#change");
    var cashOnly = form.querySelector(".cash-only");
    var nonCashOnly = form.querySelector(".noncash-only");

    function showChange() {
      var due = cents(amount.value);
      var given = cents(tendered.value);
      if (due === null || given === null) {
        change.textContent = "—";
        change.className = "";
      } else if (given < due) {
        change.textContent = "−" + yuan(due - given);
        change.className = "status-danger";
      } else {
        change.textContent = yuan(given - due);
        change.className = "status-ok";
      }
    }

    function showMethod(moveFocus) {
      var cash = method.value === "cash";
      cashOnly.hidden = !cash;
      nonCashOnly.hidden = cash;
      if (moveFocus) (cash ? tendered : reference).focus();
    }

    amount.addEventListener("input", showChange);
    tendered.addEventListener("input", showChange);
    method.addEventListener("change", function () { showMethod(false); });
    showMethod(false);
    showChange();
    (method.value === "cash" ? tendered : reference).focus();

    // Enter in the method list posts like everywhere else in the form.
    method.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        form.requestSubmit();
      }
    });

    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      form.querySelector("button[type=submit]").disabled = true;
    });
  });
})();
