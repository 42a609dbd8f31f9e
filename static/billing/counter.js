// The counter screen (收费台) and its receipt: focus, live change, cash / non-cash fields, no
// double submit; with htmx (billing/counter/_head.html) only the page's <main> is swapped.
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

  // The payment form: live change, cash / non-cash fields, Enter posts, no double post.
  function initForm(form) {
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

    // One post per form: a second Enter while the first is on its way does nothing (htmx
    // drops it too: hx-sync). The server would find the first payment by the form's token.
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      post.disabled = true;
    });
    // The post got no answer (network down, timeout): the cashier may send it again.
    form.addEventListener("htmx:afterRequest", function (event) {
      if (!event.detail.xhr.status) {
        delete form.dataset.sent;
        post.disabled = false;
      }
    });
  }

  // The counter, or the receipt after a post: the cursor where the cashier types next.
  function init() {
    var form = document.querySelector("[data-counter-form]");
    if (form) {
      initForm(form);
      return;
    }
    var first = document.querySelector("[data-autofocus], [autofocus]");
    if (first) first.focus();
  }

  document.addEventListener("DOMContentLoaded", init);

  // htmx swapped the page's <main> (a lookup, a post, the way back to the counter): set up the
  // new form at once, before the cashier's next key.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "main") init();
  });

  // An answer that is a whole page, not the counter's part: the login page once the session
  // has ended, or an error page (403, 404, 500, 503). Show it as a plain form would have.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (!/^\s*<!doctype/i.test(xhr.responseText)) return;
    var asked = event.detail.requestConfig && event.detail.requestConfig.path;
    var answered = xhr.responseURL ? new URL(xhr.responseURL) : null;
    if (answered && asked && answered.pathname !== new URL(asked, location.href).pathname) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
      return;
    }
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    event.detail.target = document.body;
  });
})();
