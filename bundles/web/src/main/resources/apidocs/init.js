// The API browser of /api/docs: Swagger UI on this server's own OpenAPI document.
// validatorUrl null: Swagger UI would otherwise load a badge from an outside validator.
window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
