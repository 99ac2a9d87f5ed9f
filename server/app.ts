/** Assembles the Express app: security headers, compression, logging, auth, API routes, public data, the built client. */
import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { authenticate } from './auth.js';
import type { Config } from './config.js';
import { ApiError, errorHandler, notFound } from './errors.js';
import { rejectControlCharacters } from './input-guard.js';
import { scrubRequest } from './logger.js';
import { publicLimits, signInLimit } from './rate-limits.js';
import { analysisRoutes } from './routes/analysis.js';
import { auditRoutes } from './routes/audit.js';
import { editRoutes } from './routes/edit.js';
import { exportBody, exportRoutes } from './routes/export.js';
import { featurePages } from './routes/feature-pages.js';
import { configureWorkers } from './workers/pool.js';
import { importRoutes } from './routes/import.js';
import { incidentRoutes } from './routes/incidents.js';
import { layerRoutes } from './routes/layers.js';
import { metaRoutes } from './routes/meta.js';
import { networkRoutes } from './routes/network.js';
import { ogcRoutes } from './routes/ogc.js';
import { scenarioRoutes } from './routes/scenarios.js';
import { ogcTileRoutes, tileRoutes } from './routes/tiles.js';
import { publicRoutes } from './public/routes.js';
import { clientFiles } from './static.js';
import { watchLayers, type Db } from './store/index.js';
import { tileService } from './tiles/service.js';

export interface App extends express.Express {
  /** Reads and compresses the built client's files ahead of the first visitors (start-up, in the background). */
  warm(): Promise<number>;
}

export function createApp(db: Db, config: Config, logger: Logger): App {
  configureWorkers(config.workers);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // MapLibre and React set inline styles; online basemap tiles come from configured hosts.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          connectSrc: ["'self'", 'https:'],
          // 'self': the shelter finder's service worker (/shelters/sw.js); blob: MapLibre's workers.
          workerSrc: ["'self'", 'blob:'],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // The API's responses are made per request: logged (secrets scrubbed), and compressed (brotli or
  // gzip) per request. Everything else is a file served from memory with its variants compressed
  // once (server/static.ts), so the public's hot path skips both.
  const apiLog = pinoHttp({ logger, serializers: { req: scrubRequest } });
  const apiCompression = compression();
  app.use((req, res, next) => {
    if (req.url.startsWith('/api')) return apiLog(req, res, () => apiCompression(req, res, next));
    // Not logged per request, but an unexpected error is (errorHandler).
    req.log = logger;
    next();
  });
  // Analysis results to export may be larger than other JSON bodies.
  app.use('/api/export', exportBody);
  app.use(express.json({ limit: '1mb' }));

  const api = express.Router();
  api.use(rejectControlCharacters);
  api.use(signInLimit(config.rateLimits));
  api.use(authenticate(config));
  api.use(publicLimits(config.rateLimits));
  // Layer versions known without a query where the store allows (server/store/layer-watch.ts).
  const watch = watchLayers(db);
  const pages = featurePages(watch, config.featureCacheMb);
  api.use(layerRoutes(db, pages));
  api.use(editRoutes(db));
  api.use(auditRoutes(db));
  api.use(importRoutes(db, config.importLimitMb, config.jobs, logger));
  api.use(exportRoutes(db, config.jobs));
  api.use(metaRoutes(db, config));
  const tiles = tileService(db, config.tileCacheMb, watch);
  api.use(tileRoutes(db, tiles));
  api.use('/ogc', ogcTileRoutes(db, tiles));
  api.use('/ogc', ogcRoutes(db, pages));
  api.use(analysisRoutes(db, config.analysisCacheMb));
  api.use(networkRoutes(db));
  api.use(incidentRoutes(db));
  api.use(scenarioRoutes(db));
  api.use((req) => {
    throw notFound(`No endpoint ${req.method} /api${req.path}.`);
  });
  app.use('/api', api);

  app.use(publicRoutes(db));
  const client = clientFiles(config.clientDir);
  app.use(client.middleware);
  app.use((req) => {
    if (!fs.existsSync(path.join(config.clientDir, 'index.html'))) {
      throw new ApiError(503, 'client_not_built', 'The client is not built: run "npm start" (or "npm run build") first.');
    }
    throw notFound(`No file ${req.path}.`);
  });
  app.use(errorHandler);
  return Object.assign(app, { warm: client.warm });
}
