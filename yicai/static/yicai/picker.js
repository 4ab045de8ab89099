// Person pickers (yicai/picker.py): Tom Select over the server's search. The page holds only
// the chosen people; typing asks /pick/<source>/ a page at a time (name, pinyin, initials,
// last four identity digits), and a list of names pasted into a multiple picker is resolved
// there, its unresolved names told below the field. Runs on load and after every htmx swap.
(function () {
  "use strict";
  var SEVERAL = /[\s,，、;；]/;

  function csrfToken(select) {
    var input = select.form && select.form.querySelector("[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  // A person as a picker shows them: the name, then what tells namesakes apart.
  function person(data, escape) {
    var detail = data.detail ? ' <small class="text-body-secondary">' + escape(data.detail) + "</small>" : "";
    return '<div><span class="picker-name">' + escape(data.name || data.text || "") + "</span>" + detail + "</div>";
  }

  function message(text) {
    return function (data, escape) {
      return '<div class="no-results">' + escape(text || "") + "</div>";
    };
  }

  function report(select, json) {
    var line = select.parentNode.querySelector("[data-picker-report]");
    if (!line) return;
    line.textContent = json.message || "";
    line.classList.toggle("text-danger", !json.complete);
  }

  function resolvePaste(select, ts, text) {
    var body = new FormData();
    body.append("names", text);
    fetch(select.dataset.picker, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(select), Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (json) {
        json.results.forEach(function (found) {
          ts.addOption(found);
          ts.addItem(String(found.id));
        });
        report(select, json);
      });
  }

  function init(select) {
    if (select.tomselect) return;
    var texts = JSON.parse(select.dataset.pickerTexts || "{}");
    var multiple = select.multiple;
    var firstPage = false;
    var ts = new TomSelect(select, {
      valueField: "id",
      labelField: "name",
      searchField: [],
      dataAttr: "data", // an option's data-data: what tells the chosen one from a namesake
      plugins: multiple
        ? {
            virtual_scroll: {},
            remove_button: { title: texts.remove },
          }
        : { virtual_scroll: {}, clear_button: { title: texts.clear } },
      placeholder: texts.placeholder,
      hidePlaceholder: true,
      hideSelected: true,
      maxOptions: null,
      preload: "focus",
      // The server has searched (pinyin finds what the letters do not): keep its order.
      score: function () {
        return function () {
          return 1;
        };
      },
      // The first page of the source (a trainee's mentors first) when the box opens, once;
      // after that an empty box shows that page again without asking.
      shouldLoad: function (query) {
        return query.length > 0 || !firstPage;
      },
      closeAfterSelect: !multiple,
      // What was typed goes in a POST body, never in the URL: it may be a full identity
      // number, and URLs end up in logs. The URL holds the source's parameters and cursor.
      firstUrl: function () {
        return select.dataset.picker;
      },
      load: function (query, callback) {
        var self = this;
        var body = new FormData();
        body.append("q", query);
        fetch(this.getUrl(query), {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(select), Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : Promise.reject(response);
          })
          .then(function (json) {
            if (query === "") firstPage = true;
            if (json.next) self.setNextUrl(query, json.next);
            callback(json.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        option: person,
        item: person,
        no_results: message(texts.noResults),
        loading_more: message(texts.loadingMore),
        no_more_results: message(texts.noMore),
      },
    });
    if (multiple) {
      ts.control_input.addEventListener("paste", function (event) {
        var text = (event.clipboardData || window.clipboardData).getData("text");
        if (!SEVERAL.test(text.trim())) return; // one name: an ordinary search
        event.preventDefault();
        resolvePaste(select, ts, text);
      });
    }
  }

  function initAll(root) {
    if (root.matches && root.matches("select[data-picker]")) init(root);
    if (root.querySelectorAll) root.querySelectorAll("select[data-picker]").forEach(init);
  }

  if (window.htmx) {
    htmx.onLoad(initAll);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      initAll(document);
    });
  }
})();
