// The API's docs: Swagger UI (swagger-ui-dist from npm, served at /lib/) on /openapi.json.
(function () {
  "use strict";
  var target = document.getElementById("swagger");
  if (!target || typeof window.SwaggerUIBundle !== "function") { return; }
  window.psikgApi = window.SwaggerUIBundle({
    url: target.getAttribute("data-openapi"),
    domNode: target,
    deepLinking: true,
    tryItOutEnabled: true,
  });
})();
