// Irreversible actions: a form with data-confirm="what cannot be undone" (and optionally
// data-confirm-button="确定中止") asks in the page's modal (#confirm-modal, base.html) before it
// is sent. Without JavaScript the form is simply sent. One listener on the document, so forms
// swapped in by htmx are covered too.
(function () {
  "use strict";
  var pending = null; // {form, submitter} waiting for the user's answer

  function modal() {
    var element = document.getElementById("confirm-modal");
    return element && window.bootstrap ? window.bootstrap.Modal.getOrCreateInstance(element) : null;
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
      if (form.dataset.confirmed === "yes") {
        delete form.dataset.confirmed; // asked again next time
        return;
      }
      var dialog = modal();
      if (!dialog) return; // no modal on this page: send the form as it is
      event.preventDefault();
      event.stopImmediatePropagation();
      pending = { form: form, submitter: event.submitter || null };
      var ok = document.getElementById("confirm-modal-ok");
      document.getElementById("confirm-modal-message").textContent = form.getAttribute("data-confirm");
      ok.textContent = form.getAttribute("data-confirm-button") || ok.getAttribute("data-default");
      dialog.show();
    },
    true
  );

  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("#confirm-modal-ok") || !pending) return;
    var chosen = pending;
    pending = null;
    modal().hide();
    chosen.form.dataset.confirmed = "yes";
    if (chosen.form.requestSubmit) chosen.form.requestSubmit(chosen.submitter);
    else chosen.form.submit();
  });

  document.addEventListener("hidden.bs.modal", function (event) {
    if (event.target.id === "confirm-modal") pending = null; // 取消, Esc or the backdrop
  });
})();
