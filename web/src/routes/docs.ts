import type Router from '@koa/router';
import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { createRequire } from 'node:module';
import path from 'node:path';
import send from 'koa-send';

const require = createRequire(import.meta.url);

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bazaar API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui', deepLinking: true });`;

/** `/api/openapi.json` from the route registry, and a Swagger UI page served from the npm package. */
export function docsRoutes(router: Router, registry: OpenAPIRegistry) {
  let document: unknown;
  const assets = path.dirname(require.resolve('swagger-ui-dist/package.json'));

  router.get('/api/openapi.json', (ctx) => {
    // A session is two cookies, both set at login: the token, and its signature (koa's signed cookies).
    registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'sid' });
    registry.registerComponent('securitySchemes', 'sessionSignature', {
      type: 'apiKey',
      in: 'cookie',
      name: 'sid.sig',
    });
    document ??= new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'Bazaar marketplace API',
        version: '1.0.0',
        description:
          'Money is in integer fen (CNY minor units). Writes with a session cookie need the `x-csrf-token` header from `GET /api/auth/session`.',
      },
      servers: [{ url: '/' }],
    });
    ctx.body = document;
  });
  router.get('/api/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = DOCS_HTML;
  });
  router.get('/api/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = DOCS_INIT;
  });
  router.get('/api/docs/assets/:file', async (ctx) => {
    const file = ctx.params.file!;
    if (!/^swagger-ui[\w.-]*\.(css|js)$/.test(file)) {
      ctx.status = 404;
      return;
    }
    await send(ctx, file, { root: assets, maxage: 86_400_000 });
  });
}
