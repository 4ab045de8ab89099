// Small behaviours of every page, here rather than in the templates: the
// Content-Security-Policy (docs/security.md) refuses inline handlers and style= attributes.
// - A <select data-autosubmit> sends its form when changed (the language switch); without
//   JavaScript the form's own button does.
// - An element with data-percent="37" is drawn 37 % wide (progress bars), on load and after
//   every htmx swap; the number is printed beside or inside the bar as well.
// - htmx swaps a 400 as it does a 200: a wrong filter answers 400 with the results and the
//   filter's error (yicai.params.filter_status), which htmx would otherwise drop unseen.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("select[data-autosubmit]") || !field.form) return;
    if (field.form.requestSubmit) field.form.requestSubmit();
    else field.form.submit();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function widths(root) {
    var found = root.querySelectorAll ? Array.from(root.querySelectorAll("[data-percent]")) : [];
    if (root.matches && root.matches("[data-percent]")) found.push(root);
    found.forEach(function (element) {
      var percent = Math.max(0, Math.min(100, Number(element.dataset.percent) || 0));
      element.style.width = percent + "%"; // through the CSSOM, which the policy allows
    });
  }

  if (window.htmx) {
    htmx.onLoad(widths);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      widths(document);
    });
  }
})();
