// Starts YASGUI on the UI page with what /?format=json says: the endpoint, the prefixes,
// the example queries, and the canned queries when /queries.json answers.
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("psikg-ui").textContent);
  if (typeof window.Yasgui !== "function") {
    return; // the assets did not load: the plain form stays
  }
  var endpoint = new URL(page.endpoint, window.location.href).href;
  // Only the autocompleters that work offline: the class and property ones call LOV.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "psikg-yasgui",
    yasqe: { value: page.default_query },
    yasr: { prefixes: page.prefixes },
  });
  window.psikgYasgui = yasgui;
  document.getElementById("fallback").hidden = true;

  function open(title, query) {
    yasgui.addTab(true, { name: title, yasqe: { value: query },
                          requestConfig: { endpoint: endpoint, method: "POST" } });
  }

  // An IRI in the results opens its page here (/describe), not the IRI's own host, which
  // for psikg's base is often a placeholder; Ctrl/Cmd-click keeps the browser's way.
  document.getElementById("yasgui").addEventListener("click", function (event) {
    var link = event.target.closest(".yasr a[href]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var href = link.getAttribute("href");
    if (!/^https?:\/\//.test(href) || href.indexOf(window.location.origin + "/") === 0) {
      return;
    }
    event.preventDefault();
    var query = new URLSearchParams({ iri: href });
    if (page.language) { query.set("lang", page.language); }
    window.open("/describe?" + query.toString(), "_blank", "noopener");
  });

  document.querySelectorAll("#examples li[data-example]").forEach(function (item, index) {
    var link = item.querySelector("a.example-link");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      open(link.textContent, page.examples[index].query);
    });
  });

  function text(value) {
    if (value && typeof value === "object") {
      return value[page.language] || value.en || value.fr || Object.values(value)[0] || "";
    }
    return value || "";
  }

  fetch(page.queries_url + "?lang=" + encodeURIComponent(page.language),
        { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      var list = Array.isArray(data) ? data : (data && data.queries) || [];
      var target = document.getElementById("canned");
      list.forEach(function (entry) {
        var query = entry.query || entry.sparql;
        if (typeof query === "object" && query) { query = query.text; }
        if (typeof query !== "string") { return; }
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#";
        link.textContent = text(entry.title) || entry.name;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          open(link.textContent, query);
        });
        item.appendChild(link);
        var description = text(entry.description);
        if (description) { item.appendChild(document.createTextNode(" — " + description)); }
        target.appendChild(item);
      });
      if (target.children.length) { document.getElementById("canned-title").hidden = false; }
    })
    .catch(function () { /* no canned queries here */ });
})();
