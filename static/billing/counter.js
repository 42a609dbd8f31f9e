// The counter screen (收费台): focus, live change, cash / non-cash fields, no double submit.
(function () {
  "use strict";

  // The rules of staff/money.py's read_amount: full-width digits, point and comma (a Chinese
  // input method) count as ASCII; nothing else does (no 1e3, no 1_000, no other scripts).
  var AMOUNT = /^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?$/;

  function ascii(text) {
    return (text || "")
      .replace(/[\uFF10-\uFF19]/g, function (digit) {
        return String.fromCharCode(digit.charCodeAt(0) - 0xff10 + 48);
      })
      .replace(/\uFF0E/g, ".")
      .replace(/\uFF0C/g, ",")
      .trim();
  }

  // The amount in whole fen, or null when the server would refuse it as typed.
  function cents(text) {
    var value = ascii(text);
    var match = AMOUNT.exec(value);
    if (!match) return null;
    var fraction = (match[1] || "").replace(/0+$/, "");
    var whole = value.split(".")[0].replace(/,/g, "");
    // Beyond 13 digits the fen would not be exact in a JavaScript number.
    if (fraction.length > 2 || whole.length > 13) return null;
    return parseInt(whole, 10) * 100 + parseInt((fraction + "00").slice(0, 2), 10);
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
    var post = form.querySelector("button[type=submit]");
    var maximum = cents(form.dataset.paymentMax);

    function showChange() {
      var due = cents(amount.value);
      var given = cents(tendered.value);
      // No figure at all while the amount is one the server refuses: a green change beside
      // an amount of 0 or 12.345 would be read out to the customer.
      if (due === null || due <= 0 || (maximum !== null && due > maximum) || given === null) {
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

    // A confirmation of the amount to prepaid is for the figures it was asked with.
    function dropConfirmation() {
      var confirmation = form.querySelector("#id_confirm_prepaid");
      if (!confirmation) return;
      confirmation.remove();
      post.textContent = post.dataset.label;
    }

    function showMethod(moveFocus) {
      var cash = method.value === "cash";
      cashOnly.hidden = !cash;
      nonCashOnly.hidden = cash;
      if (moveFocus) (cash ? tendered : reference).focus();
    }

    amount.addEventListener("input", showChange);
    amount.addEventListener("input", dropConfirmation);
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
      post.disabled = true;
    });
  });
})();
