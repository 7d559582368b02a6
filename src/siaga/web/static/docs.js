// Starts Swagger UI on this server's schema. A file of its own: the page policy allows no
// inline script. validatorUrl null: the badge would call an outside validator.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
